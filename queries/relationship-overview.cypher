// title: Everything between two entities, by time
// description: >
//   The whole relationship between two entities (each with its office holders, places and
//   the firms based there), oldest first: their direct ties, the agreements and events both
//   sides take part in (one row each, with every party), and the issues both are party to.
//   Each row gives the time it holds (as_of: the fact's own date, period or year, else the
//   latest date of its sources) and time_basis, which says whether that time is stated by
//   the source, derived from the source's date, or absent (background facts); then what it
//   is, its state, the sources, basis and sentences. Facts with no time come last.
// params:
//   a:
//     type: entity
//     default: Kazakhstan
//     description: one side (any id, name or alias)
//   b:
//     type: entity
//     default: China
//     description: the other side (any id, name or alias)
// tags: [exploration, timeline, diplomacy, provenance]
// examples:
//   - params: {a: Kazakhstan, b: China}
//     expect:
//       - {relation: TRADES_WITH, subject: Kazakhstan, object: China, time_basis: stated}
//       - {relation: issue, subject: Hold-ups of Kazakh goods at the Chinese border, as_of: 2021-11}
//   - params: {a: Kazakhstan, b: Russia}
//     expect:
//       - {relation: RELATIONS_WITH, detail: friction}
//       - {relation: RELATIONS_WITH, detail: strategic partnership, time_basis: source_date}
MATCH (a:Entity {id: $a}), (b:Entity {id: $b})
// each side: the entity, its office holders, places and firms, found from the entity
WITH [a] + COLLECT {
       MATCH (x:Entity)-[:HOLDS_OFFICE|LOCATED_IN|BASED_IN]->(a) RETURN DISTINCT x
     } AS ours,
     [b] + COLLECT {
       MATCH (x:Entity)-[:HOLDS_OFFICE|LOCATED_IN|BASED_IN]->(b) RETURN DISTINCT x
     } AS theirs
CALL (ours, theirs) {
  // direct ties between the two sides, read from the smaller side
  WITH ours, theirs, size(ours) <= size(theirs) AS from_ours
  UNWIND CASE WHEN from_ours THEN ours ELSE theirs END AS near
  MATCH (near)-[r]-(far:Entity)
  WHERE far IN CASE WHEN from_ours THEN theirs ELSE ours END
    AND NOT type(r) IN ['ROUTE_LEG', 'DOCUMENTED_IN']
  WITH DISTINCT r
  WITH r, startNode(r) AS x, endNode(r) AS y
  RETURN type(r) AS relation, x.name AS subject, y.name AS object,
         replace(coalesce(r.office, r.status, r.stance, r.kind, r.figure, r.field, r.mode,
                          r.outcome, r.role, r.purpose, ''), '_', ' ')
           + CASE WHEN r.value_usd IS NULL THEN ''
                  ELSE ' US$' + toString(round(r.value_usd / 1e9, 2)) + ' bn' END AS detail,
         [r] AS facts, [r] AS graph, null AS node_time
  UNION
  // an agreement, event or issue with someone of each side in it
  MATCH (z:Agreement|Event|Issue)
  MATCH (z)-[t1:SIGNED|PLEDGED|PARTICIPATED_IN|HOSTED|MEDIATED|PARTY_TO|DEPLOYED_TO]-(x:Entity)
  WHERE x IN ours
  MATCH (z)-[t2:SIGNED|PLEDGED|PARTICIPATED_IN|HOSTED|MEDIATED|PARTY_TO|DEPLOYED_TO]-(y:Entity)
  WHERE y IN theirs
  WITH z, collect(DISTINCT t1) + collect(DISTINCT t2) AS ties,
       collect(DISTINCT x) + collect(DISTINCT y) AS parties
  RETURN CASE WHEN z:Agreement THEN 'agreement' WHEN z:Issue THEN 'issue' ELSE 'event' END
           AS relation,
         z.name AS subject,
         reduce(t = '', p IN parties | t + CASE t WHEN '' THEN '' ELSE ', ' END + p.name)
           AS object,
         reduce(t = '', f IN [f IN ties WHERE f.status IS NOT NULL] |
           t + CASE t WHEN '' THEN '' ELSE '; ' END + startNode(f).name + ': ' + f.status)
           AS detail,
         ties AS facts, ties AS graph, z.date AS node_time
}
WITH relation, subject, object, detail, facts, graph, node_time,
     [f IN facts WHERE coalesce(f.as_of, f.date, f.since, f.year) IS NOT NULL
      | coalesce(f.as_of, f.date, f.since, f.year)] AS stated,
     reduce(u = [], f IN facts | u + coalesce(f.source_dates, [])) AS source_dates,
     [f IN facts | coalesce(f.time_basis,
                            CASE WHEN coalesce(f.date, f.since, f.year) IS NOT NULL THEN 'stated'
                                 WHEN f.basis = 'documented' THEN 'source_date'
                                 ELSE 'none' END)] AS bases
WITH relation, subject, object, detail, facts, graph,
     coalesce(node_time,
              reduce(first = head(stated), d IN stated | CASE WHEN d < first THEN d ELSE first END),
              reduce(last = null, d IN source_dates |
                CASE WHEN last IS NULL OR d > last THEN d ELSE last END)) AS as_of,
     CASE WHEN node_time IS NOT NULL OR 'stated' IN bases THEN 'stated'
          WHEN 'source_date' IN bases THEN 'source_date' ELSE 'none' END AS time_basis
RETURN as_of, time_basis, relation, subject, object, detail,
       reduce(u = [], f IN facts | u + [s IN coalesce(f.sources, []) WHERE NOT s IN u])
         AS sources,
       CASE WHEN all(f IN facts WHERE f.basis = 'documented') THEN 'documented'
            ELSE 'background' END AS basis,
       reduce(u = [], l IN reduce(v = [], f IN facts | v + coalesce(f.locators, [])) |
         CASE WHEN l IN u THEN u ELSE u + l END) AS locators,
       graph AS _graph,
       as_of IS NULL AS _undated
ORDER BY _undated, as_of, relation, subject, object, detail
