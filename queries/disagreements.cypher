// title: Where sources disagree
// description: >
//   Facts on which sources give different accounts of the same time: two documented
//   relationships of the same type between the same two entities (for trade figures the same
//   year and flow, for offices the same office) that carry different states or figures, cite
//   different sources, and hold at the same time (as_of: the fact's own date, else its latest
//   source's date, compared at the precision both share). Different states for different
//   times are a change over time, not a disagreement (see compare-sources); a fact without
//   its own time holds as of the date of the source telling it. Works for any number of
//   sources: one row per fact and pair of sources that contradict each other. When the sources disagree nowhere the
//   answer is one row saying so, with how many changes over time there are instead.
// params:
//   about:
//     type: string
//     default: any
//     description: an entity id or name the facts must involve, or any
// tags: [provenance, sources, disagreement]
// examples:
//   - params: {}
//     absent:
//       - {relation: RELATIONS_WITH, subject: Kazakhstan, object: Russia}
//       - {relation: PARTY_TO, object: Detention of Uyghurs and ethnic Kazakhs in Xinjiang camps}
//       - {relation: ROUTE_LEG}
//   - params: {about: Narnia}
//     expect:
//       - {relation: none, subject: null, locators: ""}
MATCH (x:Entity)-[r:TRADES_WITH|INVESTS_IN|MEMBER_OF|CHAIRS|LED_BY|HOLDS_OFFICE|SUCCEEDED
                   |SECURITY_TIE|PARTICIPATED_IN|DEPLOYED_TO|HOSTED|MEDIATED|VISITED|MET|SIGNED
                   |PLEDGED|CONCLUDED_AT|PARTY_TO|OPERATED_BY|BUILT_BY|REQUESTED|BID_FOR
                   |NOMINATED_FOR|OPERATES_IN|IMPOSED|TARGETS|EXPOSED_TO|STANCE_ON|PROPOSED
                   |RELATIONS_WITH|COOPERATES_ON]->(y:Entity)
// every kind of fact but geography (LOCATED_IN, BORDERS, BASED_IN), the make-up of routes
// and events (ROUTE_STEP, ABOUT, HELD_IN, PART_OF), which no source dates, and the derived
// links; named so that only relationships of these types are read
WHERE r.basis = 'documented'
  AND (toLower($about) IN ['', 'any']
       OR any(e IN [x, y] WHERE e.id = $about OR e.name = $about
                                OR toLower($about) IN e.lookup))
// two accounts need two facts between the same two entities, or a fact citing two sources
WITH x, y, type(r) AS relation, collect(r) AS ties
WHERE size(ties) > 1 OR size(coalesce(head(ties).sources, [])) > 1
UNWIND ties AS r
WITH x, y, r,
     CASE type(r)
       WHEN 'TRADES_WITH' THEN trim(coalesce(r.year, '') + ' ' + coalesce(r.flow, '')
                                    + CASE r.figure WHEN 'target' THEN ' target' ELSE '' END)
       WHEN 'HOLDS_OFFICE' THEN r.office
       WHEN 'COOPERATES_ON' THEN r.field
       WHEN 'SECURITY_TIE' THEN r.kind
       WHEN 'VISITED' THEN coalesce(r.date, '')
       WHEN 'MET' THEN coalesce(r.date, '')
       ELSE ''
     END AS detail,
     CASE
       WHEN type(r) IN ['HOLDS_OFFICE', 'COOPERATES_ON', 'SECURITY_TIE', 'VISITED', 'MET']
         THEN ''
       WHEN type(r) = 'TRADES_WITH'
         THEN r.figure + CASE WHEN r.value_usd IS NULL THEN ''
                              ELSE ' US$' + toString(round(r.value_usd / 1e9, 2)) + ' bn' END
                       + CASE WHEN r.share_pct IS NULL THEN ''
                              ELSE ' ' + toString(r.share_pct) + '%' END
       ELSE coalesce(r.status, r.stance, r.kind, r.outcome, r.mode, r.role, '')
     END AS state,
     CASE WHEN r.time_basis IS NULL THEN coalesce(r.date, r.since, r.year)
          WHEN r.time_basis = 'stated' THEN r.as_of END AS own
// one account per source: a fact without its own time holds as of its source's date
UNWIND r.sources AS source_id
MATCH (source:Source {id: source_id})
WITH x, y, type(r) AS relation, detail,
     collect({source: source.id, state: state, as_of: coalesce(own, source.date), r: r})
       AS accounts
UNWIND accounts AS one
UNWIND accounts AS two
WITH x, y, relation, detail, accounts, one, two
WHERE one.source < two.source AND one.state <> two.state
  AND left(one.as_of, size(two.as_of)) = left(two.as_of, size(one.as_of))
  // a source that also gives the other's state does not contradict it
  AND NOT any(a IN accounts WHERE a.source = one.source AND a.state = two.state)
  AND NOT any(a IN accounts WHERE a.source = two.source AND a.state = one.state)
WITH x, y, relation, detail, one.source AS source_1, two.source AS source_2,
     collect(DISTINCT one.state) AS states_1, collect(DISTINCT two.state) AS states_2,
     collect(DISTINCT one.as_of) + collect(DISTINCT two.as_of) AS times,
     collect(DISTINCT one.r) + collect(DISTINCT two.r) AS facts
WITH collect({x: x, y: y, relation: relation, detail: detail, source_1: source_1,
              source_2: source_2, states_1: states_1, states_2: states_2, times: times,
              facts: facts}) AS found
UNWIND CASE WHEN size(found) = 0 THEN [null] ELSE found END AS row
RETURN coalesce(row.relation, 'none') AS relation,
       row.x.name AS subject,
       row.y.name AS object,
       row.detail AS detail,
       reduce(u = [], t IN coalesce(row.times, []) | CASE WHEN t IN u THEN u ELSE u + t END)
         AS as_of,
       row.source_1 AS source_1,
       row.states_1 AS account_1,
       row.source_2 AS source_2,
       row.states_2 AS account_2,
       CASE WHEN row IS NULL
            THEN 'no two sources give different states for the same time '
                 + '(states for different times are changes: see compare-sources)'
            ELSE reduce(t = '', f IN [f IN row.facts WHERE f.description IS NOT NULL] |
                   t + CASE t WHEN '' THEN '' ELSE ' / ' END + f.description) END AS note,
       CASE WHEN row IS NULL THEN null ELSE 'documented' END AS basis,
       CASE WHEN row IS NULL THEN []
            ELSE reduce(u = [], l IN reduce(v = [], f IN row.facts | v + f.locators) |
                   CASE WHEN l IN u THEN u ELSE u + l END) END AS locators,
       CASE WHEN row IS NULL THEN COLLECT { MATCH (s:Source) RETURN s }
            ELSE [row.x, row.y] + row.facts END AS _graph
ORDER BY relation, subject, object, detail, source_1, source_2
