// title: Trade targets and how far the actual figures were from them
// description: >
//   Goals set for Kazakhstan's bilateral trade (never mixed with measured figures), each
//   beside the latest actual figure or estimate for the same partner, so a pledge can be
//   read against what was achieved. Shows the target year, the value (or range), when and
//   where it was set where the graph knows, and the sentences behind both figures.
// params:
//   subject:
//     type: entity
//     default: Kazakhstan
//     description: the country whose trade targets are listed (any id, name or alias)
// tags: [trade, economy, targets]
// examples:
//   - params: {}
//     expect:
//       - {partner: Uzbekistan, target_year: "2020", target_usd: 5000000000}
//       - {partner: Tajikistan, target_usd: 3000000000, target_max_usd: 4000000000,
//          latest_actual_usd: 900000000, latest_actual_year: "2018"}
//       - {partner: Kyrgyzstan, target_usd: 1000000000}
MATCH (kz:Entity {id: $subject})-[target:TRADES_WITH {figure: 'target'}]-(partner:Entity)
OPTIONAL MATCH (kz)-[actual:TRADES_WITH]-(partner)
  WHERE actual.figure IN ['actual', 'estimate'] AND actual.value_usd IS NOT NULL
    AND actual.flow = 'total'
WITH kz, target, partner, actual
ORDER BY actual.year DESC
WITH kz, target, partner, head(collect(actual)) AS actual
RETURN partner.name AS partner,
       target.year AS target_year,
       toInteger(target.value_usd) AS target_usd,
       toInteger(target.value_max_usd) AS target_max_usd,
       target.date AS set_on,
       actual.year AS latest_actual_year,
       toInteger(actual.value_usd) AS latest_actual_usd,
       actual.figure AS latest_figure,
       target.basis AS basis,
       reduce(all = [], l IN coalesce(target.locators, []) + coalesce(actual.locators, []) |
         CASE WHEN l IN all THEN all ELSE all + l END) AS locators,
       [kz, partner, target, actual] AS _graph
ORDER BY target_usd DESC, partner
