// title: Timeline of relations with a country
// description: >
//   Dated visits, meetings, agreements, events and other dated facts between Kazakhstan
//   (the state and its office holders) and one country (the state, its office holders, its
//   places and the issues it is party to), oldest first. Agreements and events appear once, with every party and
//   participant on either side; direct ties (a visit, a meeting, a trade figure, a stance)
//   appear as facts. Each row shows the date as precise as the source gives it, or, for a
//   fact the source does not date, the date of the latest source stating it (time_basis
//   says which: stated or source_date), what happened, the basis and the sentences it rests
//   on. Background facts with no time at all are left out. The country is looked up by any
//   id, name or alias (China, PRC, Beijing, CHN).
// params:
//   country:
//     type: entity
//     default: China
//     description: the other country (any id, name or alias)
//   subject:
//     type: entity
//     default: Kazakhstan
//     description: the country on the near side (any id, name or alias)
// empty: >
//   MATCH (kz:Entity {id: $subject}), (other:Entity {id: $country})
//   MATCH ()-[r]->() WITH kz.name + ' and ' + other.name AS pair,
//     toString(coalesce(r.date, r.since, r.year)) AS d
//   WHERE d IS NOT NULL
//   WITH pair, min(d) AS first, max(d) AS last
//   RETURN 'Nothing in the graph dates a tie between ' + pair
//     + "; the data's dates run from " + first + ' to ' + last + '.'
// tags: [timeline, diplomacy, visits, agreements]
// examples:
//   - params: {country: China}
//     expect:
//       - {date: "2018", what: visit,
//          detail: "Xu Qiliang's visit to Kazakhstan, 2018 (Kazakhstan, Xu Qiliang)"}
//       - {date: 2022-06, what: visit,
//          detail: "Wang Yi's visit to Kazakhstan, June 2022 (Kazakhstan, Wang Yi)"}
//       - {date: 2019-07, what: stance on,
//          detail: Kazakhstan – Detention of Uyghurs and ethnic Kazakhs in Xinjiang camps}
//       - {what: relations with, time_basis: source_date}
//     absent:
//       - {detail: Kassym-Jomart Tokayev → Moscow}
//       - {time_basis: none}
//   - params: {country: Moscow}
//     expect:
//       - {date: 2019-04, what: visit}
//       - {date: 2019-01, what: agreement}
MATCH (kz:Entity {id: $subject}), (other:Entity {id: $country})
// each side: the state, its office holders, its places, firms based there; and on the
// other side, the issues it is party to or that concern it. Found from the two states,
// not by testing every entity in the graph
WITH [kz] + COLLECT {
       MATCH (x:Entity)-[:HOLDS_OFFICE|LOCATED_IN|BASED_IN]->(kz) RETURN DISTINCT x
     } AS ours,
     COLLECT {
       RETURN other AS x
       UNION
       MATCH (x:Entity)-[:HOLDS_OFFICE|LOCATED_IN|BASED_IN]->(other) RETURN x
       UNION
       MATCH (other)-[:PARTY_TO]->(x:Issue) RETURN x
       UNION
       MATCH (x:Issue)-[:ABOUT]->(other) RETURN x
     } AS theirs
CALL (ours, theirs) {
  // direct dated ties between the two sides, read from the smaller side
  WITH ours, theirs, size(ours) <= size(theirs) AS from_ours
  UNWIND CASE WHEN from_ours THEN ours ELSE theirs END AS near
  MATCH (near)-[r]-(far:Entity)
  WHERE far IN CASE WHEN from_ours THEN theirs ELSE ours END
    AND NOT type(r) IN ['HOLDS_OFFICE', 'LOCATED_IN', 'BASED_IN', 'BORDERS', 'ROUTE_LEG',
                        'DOCUMENTED_IN']
  WITH DISTINCT r
  WITH startNode(r) AS a, r, endNode(r) AS b
  WITH a, r, b, coalesce(r.date, r.since, r.year) AS stated,
       coalesce(CASE WHEN r.time_basis = 'source_date' THEN r.as_of END,
                reduce(last = null, d IN coalesce(r.source_dates, []) |
                  CASE WHEN last IS NULL OR d > last THEN d ELSE last END)) AS source_date
  WHERE coalesce(stated, source_date) IS NOT NULL
  RETURN coalesce(stated, source_date) AS date,
         CASE WHEN stated IS NULL THEN 'source_date' ELSE 'stated' END AS time_basis,
         CASE type(r) WHEN 'VISITED' THEN 'visit' WHEN 'MET' THEN 'meeting'
              ELSE toLower(replace(type(r), '_', ' ')) END AS what,
         a.name + CASE type(r) WHEN 'VISITED' THEN ' → ' WHEN 'MET' THEN ' meets '
                  ELSE ' – ' END + b.name AS detail,
         coalesce(r.purpose, r.kind, r.status, r.stance, r.field, r.figure, r.role, '')
           + coalesce(': ' + r.description, '') AS about,
         r.basis AS basis, coalesce(r.locators, []) AS locators, [r] AS graph
  UNION
  // agreements and events with a party or participant on each side
  MATCH (x:Agreement|Event)
  MATCH (x)-[t1]-(a:Entity) WHERE a IN ours
  MATCH (x)-[t2]-(b:Entity) WHERE b IN theirs
  WITH x, collect(DISTINCT t1) + collect(DISTINCT t2) AS ties,
       collect(DISTINCT a.name) + collect(DISTINCT b.name) AS names
  WITH x, ties, names,
       [t IN ties WHERE coalesce(t.date, t.since) IS NOT NULL
        | coalesce(t.date, t.since)] AS dates,
       reduce(u = [], t IN ties | u + coalesce(t.source_dates, [])) AS source_dates
  WITH x, ties, names,
       coalesce(x.date, reduce(first = head(dates), d IN dates |
         CASE WHEN d < first THEN d ELSE first END)) AS stated,
       reduce(last = null, d IN source_dates |
         CASE WHEN last IS NULL OR d > last THEN d ELSE last END) AS source_date
  WHERE coalesce(stated, source_date) IS NOT NULL
  RETURN coalesce(stated, source_date) AS date,
         CASE WHEN stated IS NULL THEN 'source_date' ELSE 'stated' END AS time_basis,
         CASE WHEN x:Agreement THEN 'agreement'
              ELSE replace(coalesce(x.kind, 'event'), '_', ' ') END AS what,
         x.name + ' (' + reduce(acc = '', n IN names |
           acc + CASE acc WHEN '' THEN '' ELSE ', ' END + toString(n)) + ')'
           AS detail,
         coalesce(x.description, '') AS about,
         CASE WHEN all(t IN ties WHERE t.basis = 'documented') THEN 'documented'
              ELSE 'background' END AS basis,
         reduce(all = [], t IN ties | all + coalesce(t.locators, [])) AS locators,
         ties AS graph
}
RETURN date, time_basis, what, detail, about, basis,
       reduce(all = [], l IN locators | CASE WHEN l IN all THEN all ELSE all + l END)
         AS locators,
       graph AS _graph
ORDER BY date, what, detail
