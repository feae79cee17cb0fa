// title: What two sources say, compared
// description: >
//   Two registered sources compared fact by fact (the same relationship between the same two
//   entities; for trade figures the same year and flow, for offices the same office, for
//   meetings and visits the same date). "only in X" means source X states it and the other
//   does not; "both" means both state it the same way. Where both state it differently the
//   answer tells a change over time (the states one source gives alone are all for a later
//   time, as_of, than those the other gives alone) from a disagreement (different states for
//   the same time). A fact holds at its own date, period or year; without one, as of the
//   date of the source telling it. Judgements (held by the author or the public rather than a state) are
//   marked. The sources default to the oldest and the newest registered one by date; name
//   any two by id. Background facts and derived links are ignored, and so are geography and
//   the make-up of routes and events, which no source dates.
//   At most `limit` rows, in that order (a large graph has thousands).
// params:
//   source_a:
//     type: string
//     default: oldest
//     description: a source id, or oldest (the earliest registered source by date)
//   source_b:
//     type: string
//     default: newest
//     description: a source id, or newest (the latest registered source by date)
//   include_only_in_one:
//     type: bool
//     default: true
//     description: also list facts that only one of the two sources states
//   include_both:
//     type: bool
//     default: false
//     description: also list facts both sources state the same way
//   limit:
//     type: int
//     default: 500
//     description: at most this many rows, the first in the answer's order (raise it for more)
// tags: [provenance, change, sources, disagreement]
// examples:
//   - params: {include_only_in_one: "false"}
//     expect:
//       - {comparison: change over time, relation: RELATIONS_WITH, subject: Kazakhstan,
//          object: Russia, source_a: sanchez-2020, source_b: kassenova-2022}
//       - {comparison: change over time, relation: RELATIONS_WITH, subject: Kazakhstan,
//          object: Uzbekistan, states_a: cordial, states_b: close, as_of_a: 2020-04,
//          as_of_b: 2022-09-05}
//     absent:
//       - {comparison: only in sanchez-2020}
//       - {comparison: both}
//   - params: {}
//     expect:
//       - {comparison: only in sanchez-2020, relation: TRADES_WITH, object: Russia}
//       - {comparison: only in kassenova-2022, relation: OPERATES_IN, subject: Sberbank}
//   - params: {include_both: "true", include_only_in_one: "false"}
//     expect:
//       - {comparison: both, relation: PARTY_TO, subject: Kazakhstan,
//          object: Detention of Uyghurs and ethnic Kazakhs in Xinjiang camps,
//          states_a: open, states_b: open}
//   - params: {source_a: kassenova-2022, source_b: sanchez-2020, include_both: "true"}
//     expect:
//       - {comparison: only in sanchez-2020, relation: TRADES_WITH, object: Russia}
//       - {comparison: change over time, relation: RELATIONS_WITH, subject: Kazakhstan,
//          object: Russia, source_a: kassenova-2022, source_b: sanchez-2020}
//       - {comparison: both, relation: MEMBER_OF, subject: Kazakhstan,
//          object: Eurasian Economic Union}
//   - params: {source_a: no-such-source}
//     expect:
//       - {comparison: no such source, detail: "no-such-source; registered: sanchez-2020, kassenova-2022"}
MATCH (registered:Source)
WITH registered ORDER BY registered.date, registered.id
WITH collect(registered) AS registered
WITH registered,
     CASE WHEN $source_a IN ['', 'oldest'] THEN head(registered)
          ELSE head([s IN registered WHERE s.id = $source_a]) END AS sa,
     CASE WHEN $source_b IN ['', 'newest'] THEN last(registered)
          ELSE head([s IN registered WHERE s.id = $source_b]) END AS sb
CALL (registered, sa, sb) {
  // an unknown source id: say which ones there are
  WITH registered, sa, sb WHERE sa IS NULL OR sb IS NULL
  RETURN 'no such source' AS comparison, null AS relation, null AS subject, null AS object,
         CASE WHEN sa IS NULL THEN $source_a ELSE $source_b END + '; registered: '
           + reduce(t = '', s IN registered | t + CASE t WHEN '' THEN '' ELSE ', ' END + s.id)
           AS detail,
         null AS source_a, [] AS states_a, [] AS as_of_a,
         null AS source_b, [] AS states_b, [] AS as_of_b,
         [] AS judgement, [] AS what_the_sources_say, null AS basis, [] AS locators,
         [] AS _graph, 0 AS _order
  UNION
  WITH sa, sb WHERE sa IS NOT NULL AND sb IS NOT NULL
  CALL () {
    MATCH (x:Entity)-[r:TRADES_WITH|INVESTS_IN|MEMBER_OF|CHAIRS|LED_BY|HOLDS_OFFICE|SUCCEEDED
                       |SECURITY_TIE|PARTICIPATED_IN|DEPLOYED_TO|HOSTED|MEDIATED|VISITED|MET
                       |SIGNED|PLEDGED|CONCLUDED_AT|PARTY_TO|OPERATED_BY|BUILT_BY|REQUESTED
                       |BID_FOR|NOMINATED_FOR|OPERATES_IN|IMPOSED|TARGETS|EXPOSED_TO|STANCE_ON
                       |PROPOSED|RELATIONS_WITH|COOPERATES_ON]->(y:Entity)
    // every kind of fact but geography (LOCATED_IN, BORDERS, BASED_IN), the make-up of
    // routes and events (ROUTE_STEP, ABOUT, HELD_IN, PART_OF) and the derived links, named
    // so that only relationships of these types are read
    WHERE r.basis = 'documented'
    RETURN x, r, y
  }
  WITH sa, sb, x, r, y
  WHERE sa.id IN r.sources OR sb.id IN r.sources
  // which fact it is (beyond its type and ends), and the state it gives
  WITH sa, sb, x, y, r,
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
         ELSE coalesce(r.status, r.stance, r.kind, r.outcome, r.mode, r.role, '')
       END AS state,
       // the time the fact holds by its own date (as_of when time_basis is stated)
       CASE WHEN r.time_basis IS NULL THEN coalesce(r.date, r.since, r.year)
            WHEN r.time_basis = 'stated' THEN r.as_of END AS own
  // each side's states in time order (then by fact), whatever order the facts are read in
  ORDER BY own, r.id
  // as each source tells it: a fact without its own time holds as of that source's date
  WITH sa, sb, x, y, type(r) AS relation, detail,
       collect(CASE WHEN sa.id IN r.sources
                    THEN {state: state, as_of: coalesce(own, sa.date)} END) AS in_a,
       collect(CASE WHEN sb.id IN r.sources
                    THEN {state: state, as_of: coalesce(own, sb.date)} END) AS in_b,
       collect(r) AS facts
  WITH *, [f IN in_a | f.state] AS states_a, [f IN in_b | f.state] AS states_b
  WITH *, [f IN in_a WHERE NOT f.state IN states_b] AS only_a,
       [f IN in_b WHERE NOT f.state IN states_a] AS only_b
  // the states that differ (all of a side's, when it has none the other lacks)
  WITH *, CASE WHEN size(only_a) > 0 THEN only_a ELSE in_a END AS diff_a,
       CASE WHEN size(only_b) > 0 THEN only_b ELSE in_b END AS diff_b
  WITH *,
       CASE
         WHEN size(in_b) = 0 THEN 'only in ' + sa.id
         WHEN size(in_a) = 0 THEN 'only in ' + sb.id
         WHEN size(only_a) = 0 AND size(only_b) = 0 THEN 'both'
         // partial dates compare at the precision both share: "2022" is not after "2022-02"
         WHEN all(p IN diff_a WHERE all(q IN diff_b
                  WHERE left(q.as_of, size(p.as_of)) > left(p.as_of, size(q.as_of))))
           OR all(p IN diff_b WHERE all(q IN diff_a
                  WHERE left(q.as_of, size(p.as_of)) > left(p.as_of, size(q.as_of))))
           THEN 'change over time'
         ELSE 'disagreement'
       END AS comparison
  WHERE comparison IN ['change over time', 'disagreement']
     OR (comparison = 'both' AND $include_both)
     OR (comparison STARTS WITH 'only' AND $include_only_in_one)
  // the first rows in the answer's order, before the costly columns are made
  WITH *,
       CASE comparison WHEN 'change over time' THEN 1 WHEN 'disagreement' THEN 2
                       WHEN 'both' THEN 5
                       ELSE CASE WHEN comparison = 'only in ' + sa.id THEN 3 ELSE 4 END
       END AS _order
  ORDER BY _order, relation, x.name, y.name, detail
  LIMIT toInteger($limit)
  RETURN comparison, relation, x.name AS subject, y.name AS object, detail,
         sa.id AS source_a,
         reduce(u = [], s IN states_a | CASE WHEN s IN u OR s = '' THEN u ELSE u + s END)
           AS states_a,
         reduce(u = [], f IN in_a | CASE WHEN f.as_of IN u THEN u ELSE u + f.as_of END)
           AS as_of_a,
         sb.id AS source_b,
         reduce(u = [], s IN states_b | CASE WHEN s IN u OR s = '' THEN u ELSE u + s END)
           AS states_b,
         reduce(u = [], f IN in_b | CASE WHEN f.as_of IN u THEN u ELSE u + f.as_of END)
           AS as_of_b,
         reduce(u = [], f IN facts | CASE WHEN f.held_by IN ['author', 'public']
                                           AND NOT f.held_by IN u THEN u + f.held_by
                                          ELSE u END) AS judgement,
         [f IN facts | trim(coalesce(f.date, f.since, f.year, '') + ' '
                            + coalesce(f.description, ''))] AS what_the_sources_say,
         'documented' AS basis,
         reduce(u = [], l IN reduce(v = [], f IN facts | v + f.locators) |
           CASE WHEN (l STARTS WITH sa.id + '#' OR l STARTS WITH sb.id + '#') AND NOT l IN u
                THEN u + l ELSE u END) AS locators,
         [f IN facts | startNode(f)] + [f IN facts | endNode(f)] + facts AS _graph,
         _order
}
RETURN comparison, relation, subject, object, detail, source_a, states_a, as_of_a,
       source_b, states_b, as_of_b, judgement, what_the_sources_say, basis, locators, _graph,
       _order
ORDER BY _order, relation, subject, object, detail
LIMIT toInteger($limit)
