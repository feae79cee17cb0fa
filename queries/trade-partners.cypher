// title: Trade partners ranked by value
// description: >
//   Kazakhstan's trade partners for one year (by default the latest year for which the
//   graph has a measured US$ value of total trade), ranked by the value of total bilateral
//   trade. Only actual figures and estimates are ranked; goals and targets are left out
//   (see trade-targets), so a pledge never outranks a measured figure. Rows without a
//   figure (the goods traded, a share of trade) follow the ranked ones. Each row shows
//   whether the figure is an estimate, its sources and the sentences it rests on.
// params:
//   year:
//     type: string
//     default: latest
//     description: the year of the figures (2017, 2018, 2020), or latest, the latest year with a US$ value
//   subject:
//     type: entity
//     default: Kazakhstan
//     description: the country whose trade partners are ranked (any id, name or alias)
// empty: >
//   MATCH (:Entity {id: $subject})-[r:TRADES_WITH]-(:Entity)
//   WHERE r.figure IN ['actual', 'estimate']
//   WITH DISTINCT toString(r.year) AS year ORDER BY year
//   RETURN 'Years with trade figures: '
//     + reduce(s = '', y IN collect(year) | s + CASE s WHEN '' THEN '' ELSE ', ' END + y)
// tags: [trade, economy, multi-vector]
// examples:
//   - params: {year: "2018"}
//     ordered: true
//     expect:
//       - {rank: 1, partner: Russia, figure: estimate, value_usd: 18000000000}
//       - {rank: 2, partner: China, figure: actual, value_usd: 11000000000}
//       - {rank: 3, partner: United States, figure: actual, value_usd: 2100000000}
//       - {rank: 4, partner: Tajikistan, value_usd: 900000000}
//     absent:
//       - {figure: target}
//   - params: {}
//     expect:
//       - {rank: 1, partner: Russia, year: "2018"}
//   - params: {year: "2017"}
//     expect:
//       - {rank: 1, partner: United States, value_usd: 1300000000}
MATCH (kz:Entity {id: $subject})
CALL (kz) {
  OPTIONAL MATCH (kz)-[figure:TRADES_WITH]-(:Entity)
  WHERE figure.figure IN ['actual', 'estimate'] AND figure.flow = 'total'
    AND figure.value_usd IS NOT NULL
  RETURN max(figure.year) AS latest
}
WITH kz, CASE WHEN toLower($year) IN ['', 'latest'] THEN latest ELSE $year END AS year
MATCH (kz)-[r:TRADES_WITH]-(partner:Entity)
WHERE r.year = year AND r.figure IN ['actual', 'estimate']
WITH kz, r, partner, r.flow = 'total' AND r.value_usd IS NOT NULL AS ranked
ORDER BY ranked DESC, r.value_usd DESC, partner.name
WITH collect({kz: kz, r: r, partner: partner, ranked: ranked}) AS rows
UNWIND range(0, size(rows) - 1) AS i
WITH rows[i] AS row, i
WITH row.r AS r, row.partner AS partner, row.kz AS kz, CASE WHEN row.ranked THEN i + 1 END AS rank
RETURN rank,
       partner.name AS partner,
       r.year AS year,
       r.figure AS figure,
       CASE
         WHEN r.flow IN ['exports', 'imports'] AND startNode(r) <> kz
           THEN CASE r.flow WHEN 'exports' THEN 'imports' ELSE 'exports' END
         ELSE r.flow
       END AS kazakh_flow,
       toInteger(r.value_usd) AS value_usd,
       r.share_pct AS share_pct,
       r.products AS products,
       r.basis AS basis,
       r.locators AS locators,
       [kz, r, partner] AS _graph
