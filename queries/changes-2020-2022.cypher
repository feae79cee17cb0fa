// title: What changed between the 2020 and the 2022 source
// description: >
//   Kazakhstan's relationships as the spring 2020 article and the September 2022 article
//   describe them, compared pair by pair (same relationship type between the same two
//   entities): relationships whose status, stance, kind, figure or role moved between the
//   two accounts, and relationships only one of them reports. Ties the two sources both
//   state the same way are left out. Only Kazakhstan's own ties (the state, its office
//   holders and the firms present there) are compared, leaving out geography and the
//   make-up of routes and events; background facts are ignored, since no source states them.
// params:
//   include_only_in_one:
//     type: bool
//     default: true
//     description: also list relationships that only one of the two sources reports
// tags: [provenance, change, sources]
// examples:
//   - params: {include_only_in_one: "false"}
//     expect:
//       - {change: changed, relation: RELATIONS_WITH, subject: Kazakhstan, object: Russia}
//       - {change: changed, relation: PARTY_TO, object: Detention of Uyghurs and ethnic Kazakhs in Xinjiang camps,
//          in_2020: open, in_2022: managed}
//     absent:
//       - {change: only in 2020}
//   - params: {}
//     expect:
//       - {change: only in 2020, relation: TRADES_WITH, object: Russia}
//       - {change: only in 2022, relation: OPERATES_IN, subject: Sberbank}
MATCH (kz:Entity {id: 'KAZ'})
MATCH (a:Entity)-[r]->(b:Entity)
WHERE r.basis = 'documented'
  AND NOT type(r) IN ['ROUTE_LEG', 'ROUTE_STEP', 'HOLDS_OFFICE', 'LOCATED_IN', 'BASED_IN',
                      'BORDERS', 'ABOUT', 'HELD_IN', 'PART_OF']
  AND any(e IN [a, b] WHERE e = kz OR EXISTS { (e:Person)-[:HOLDS_OFFICE]->(kz) }
                            OR EXISTS { (e)-[:OPERATES_IN|LOCATED_IN]->(kz) })
WITH type(r) AS relation, a, b, r,
     any(d IN r.source_dates WHERE d STARTS WITH '2020') AS in_2020,
     any(d IN r.source_dates WHERE d STARTS WITH '2022') AS in_2022,
     coalesce(r.status, r.stance, r.kind, r.figure, r.office, r.field, r.role, '')
       + CASE WHEN r.value_usd IS NULL THEN ''
              ELSE ' US$' + toString(round(r.value_usd / 1e9, 1)) + ' bn' END AS state
WITH relation, a, b,
     collect(CASE WHEN in_2020 THEN state END) AS states_2020,
     collect(CASE WHEN in_2022 THEN state END) AS states_2022,
     collect(r) AS facts
WITH relation, a, b, facts,
     reduce(u = [], x IN states_2020 | CASE WHEN x IN u THEN u ELSE u + x END) AS in_2020,
     reduce(u = [], x IN states_2022 | CASE WHEN x IN u THEN u ELSE u + x END) AS in_2022
WITH relation, a, b, facts, in_2020, in_2022,
     CASE
       WHEN size(in_2020) = 0 THEN 'only in 2022'
       WHEN size(in_2022) = 0 THEN 'only in 2020'
       WHEN any(x IN in_2020 WHERE NOT x IN in_2022)
         OR any(x IN in_2022 WHERE NOT x IN in_2020) THEN 'changed'
       ELSE 'same'
     END AS change
WHERE change = 'changed' OR (change STARTS WITH 'only' AND $include_only_in_one)
RETURN change, relation, a.name AS subject, b.name AS object,
       [x IN in_2020 WHERE x <> ''] AS in_2020,
       [x IN in_2022 WHERE x <> ''] AS in_2022,
       [f IN facts | trim(coalesce(f.date, f.since, f.year, '') + ' '
                          + coalesce(f.description, ''))] AS what_the_sources_say,
       'documented' AS basis,
       reduce(all = [], l IN reduce(x = [], f IN facts | x + f.locators) |
         CASE WHEN l IN all THEN all ELSE all + l END) AS locators,
       [a, b] + facts AS _graph
ORDER BY CASE change WHEN 'changed' THEN 1 WHEN 'only in 2020' THEN 2 ELSE 3 END,
         relation, subject, object
