// title: Facts more than one source states
// description: >
//   Corroborated facts: documented relationships that at least two registered sources state
//   (one fact citing several sources, as the model records agreement), with the state or
//   figure they agree on, the time it holds (its own date, else the latest source's, and
//   which of the two), how many sources and which, and the sentences of each. Geography,
//   the make-up of routes and the loader's derived links are left out. An entity narrows
//   the list to the facts that involve it.
// params:
//   min_sources:
//     type: int
//     default: 2
//     description: how many sources must state a fact (at least 2)
//   about:
//     type: string
//     default: any
//     description: an entity id or name the facts must involve, or any
// tags: [provenance, sources, corroboration]
// examples:
//   - params: {}
//     expect:
//       - {relation: MEMBER_OF, subject: Kazakhstan, object: Eurasian Economic Union,
//          state: member, source_count: 2, time_basis: source_date}
//       - {relation: HOLDS_OFFICE, subject: Kassym-Jomart Tokayev, state: President,
//          as_of: "2019", time_basis: stated}
//     absent:
//       - {source_count: 1}
//   - params: {about: Russia}
//     expect:
//       - {relation: HOLDS_OFFICE, subject: Vladimir Putin, object: Russia}
//     absent:
//       - {subject: Kazakhstan, object: China}
//   - params: {min_sources: "3"}
//     absent:
//       - {source_count: 2}
MATCH (x:Entity)-[r:TRADES_WITH|INVESTS_IN|MEMBER_OF|CHAIRS|LED_BY|PART_OF|HOLDS_OFFICE
                   |SUCCEEDED|SECURITY_TIE|PARTICIPATED_IN|DEPLOYED_TO|HOSTED|HELD_IN|MEDIATED
                   |VISITED|MET|SIGNED|PLEDGED|CONCLUDED_AT|ABOUT|PARTY_TO|OPERATED_BY|BUILT_BY
                   |REQUESTED|BID_FOR|NOMINATED_FOR|OPERATES_IN|BASED_IN|IMPOSED|TARGETS
                   |EXPOSED_TO|STANCE_ON|PROPOSED|RELATIONS_WITH|COOPERATES_ON]->(y:Entity)
// every kind of fact but geography (LOCATED_IN, BORDERS), the steps of routes and the
// derived links, named so that only relationships of these types are read
WHERE r.basis = 'documented' AND size(coalesce(r.sources, [])) >= $min_sources
  AND (toLower($about) IN ['', 'any']
       OR any(e IN [x, y] WHERE e.id = $about OR e.name = $about
                                OR toLower($about) IN e.lookup))
WITH x, y, r, coalesce(r.date, r.since, r.year) AS own
RETURN type(r) AS relation,
       x.name AS subject,
       y.name AS object,
       coalesce(r.status, r.stance, r.kind, r.figure, r.office, r.field, r.mode, r.outcome,
                r.role, r.purpose, '')
         + CASE WHEN r.value_usd IS NULL THEN ''
                ELSE ' US$' + toString(round(r.value_usd / 1e9, 2)) + ' bn' END AS state,
       coalesce(r.as_of, own, reduce(last = '', d IN r.source_dates |
                                CASE WHEN d > last THEN d ELSE last END)) AS as_of,
       coalesce(r.time_basis, CASE WHEN own IS NULL THEN 'source_date' ELSE 'stated' END)
         AS time_basis,
       size(r.sources) AS source_count,
       r.sources AS sources,
       r.description AS note,
       r.locators AS locators,
       [startNode(r), r, endNode(r)] AS _graph
ORDER BY source_count DESC, relation, subject, object, state, r.id
