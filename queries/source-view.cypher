// title: What each source says about a country
// description: >
//   A provenance view: for one country (with its office holders, places and firms), every
//   fact each source states about it, source by source in the order of the text, with the
//   exact sentences (locators) of that source. Facts both sources state appear under each,
//   so the two accounts can be read side by side; background facts, which no source
//   states, are left out. The country is looked up by any id, name or alias.
//   At most `limit` rows, in that order (a large graph has thousands).
// params:
//   country:
//     type: entity
//     default: Russia
//     description: the country to look up (any id, name or alias)
//   limit:
//     type: int
//     default: 200
//     description: at most this many rows, the first in the answer's order (raise it for more)
// tags: [provenance, sources]
// examples:
//   - params: {country: Russia}
//     expect:
//       - {source: sanchez-2020, relation: TRADES_WITH, subject: Kazakhstan, object: Russia,
//          locators: sanchez-2020#p9.s2}
//       - {source: kassenova-2022, relation: OPERATES_IN, subject: Sberbank}
//     absent:
//       - {basis: background}
MATCH (other:Entity {id: $country})
// the country, its office holders, places and firms, found from the country
UNWIND [other] + COLLECT {
         MATCH (x:Entity)-[:HOLDS_OFFICE|LOCATED_IN|BASED_IN]->(other) RETURN DISTINCT x
       } AS x
MATCH (x)-[r]-(:Entity)
WHERE r.basis = 'documented' AND type(r) <> 'ROUTE_LEG'
WITH DISTINCT r
UNWIND r.sources AS source_id
MATCH (s:Source {id: source_id})
WITH s, r, [l IN r.locators WHERE l STARTS WITH s.id + '#'] AS locators
WITH s, r, locators,
     [l IN locators | toInteger(split(split(l, '#p')[1], '.s')[0]) * 1000
                      + toInteger(split(l, '.s')[1])] AS places
WITH s, r, locators, reduce(m = 999999, p IN places | CASE WHEN p < m THEN p ELSE m END)
       AS first_place
// the first rows in the answer's order, before the costly columns are made
ORDER BY s.date, s.id, first_place, type(r), startNode(r).name, endNode(r).name, r.id
LIMIT toInteger($limit)
RETURN s.id AS source,
       s.date AS source_date,
       type(r) AS relation,
       startNode(r).name AS subject,
       endNode(r).name AS object,
       coalesce(r.date, r.since, r.year) AS date,
       r.description AS says,
       r.basis AS basis,
       locators,
       [startNode(r), r, endNode(r), s] AS _graph
ORDER BY source_date, source, first_place, relation, subject, object, r.id
