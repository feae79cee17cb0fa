// title: Trade partners ranked by value
// description: >
//   Kazakhstan's trade partners for one year, ranked by the value of total bilateral
//   trade. Only actual figures and estimates are ranked; goals and targets are left out
//   (see trade-targets), so a pledge never outranks a measured figure. Rows without a
//   figure (the goods traded, a share of trade) follow the ranked ones. Each row shows
//   whether the figure is an estimate, its sources and the sentences it rests on.
// params:
//   year:
//     type: string
//     default: "2018"
//     description: the year of the figures, as the sources give it (2017, 2018, 2020)
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
//   - params: {year: "2017"}
//     expect:
//       - {rank: 1, partner: United States, value_usd: 1300000000}
MATCH (kz:Entity {id: 'KAZ'})-[r:TRADES_WITH]-(partner:Entity)
WHERE r.year = $year AND r.figure IN ['actual', 'estimate']
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
