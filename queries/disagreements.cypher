// title: Where sources disagree
// description: >
//   Facts on which sources give different accounts of the same time: two documented
//   relationships of the same type between the same two entities (for trade figures the same
//   year and flow, for offices the same office) that carry different states or figures, cite
//   different sources, and hold at the same time (as_of: the fact's own date, else its latest
//   source's date, compared at the precision both share). Different states for different
//   times are a change over time, not a disagreement (see compare-sources). Works for any
//   number of sources; each pair of accounts is one row. When the sources disagree nowhere the
//   answer is one row saying so, with how many changes over time there are instead.
// params:
//   about:
//     type: string
//     default: any
//     description: an entity id or name the facts must involve, or any
// tags: [provenance, sources, disagreement]
// examples:
//   - params: {}
//     expect:
//       - {relation: TRADES_WITH}
//     absent:
//       - {relation: ROUTE_LEG}
//   - params: {about: Narnia}
//     expect:
//       - {relation: none, subject: null}
MATCH (x:Entity)-[r]->(y:Entity)
WHERE r.basis = 'documented'
  AND NOT type(r) IN ['ROUTE_LEG', 'DOCUMENTED_IN', 'ROUTE_STEP', 'LOCATED_IN', 'BASED_IN',
                      'BORDERS', 'ABOUT', 'HELD_IN', 'PART_OF']
  AND (toLower($about) IN ['', 'any']
       OR any(e IN [x, y] WHERE e.id = $about OR e.name = $about
                                OR toLower($about) IN e.lookup))
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
     coalesce(r.as_of, r.date, r.since, r.year,
              reduce(last = '', d IN coalesce(r.source_dates, []) |
                CASE WHEN d > last THEN d ELSE last END)) AS as_of
WITH x, y, type(r) AS relation, detail,
     collect({r: r, state: state, as_of: as_of}) AS accounts
WITH x, y, relation, detail, accounts,
     [one IN accounts WHERE any(two IN accounts WHERE one.state < two.state
                                AND one.r.sources <> two.r.sources)] AS differing
UNWIND CASE WHEN size(differing) = 0 THEN [null] ELSE accounts END AS one
UNWIND CASE WHEN size(differing) = 0 THEN [null] ELSE accounts END AS two
WITH x, y, relation, detail, one, two, size(differing) > 0 AS differs
WITH x, y, relation, detail, one, two, differs,
     differs AND one.state < two.state AND one.r.sources <> two.r.sources AS pair,
     differs AND one.state < two.state AND one.r.sources <> two.r.sources
       AND left(one.as_of, size(two.as_of)) = left(two.as_of, size(one.as_of)) AS same_time
WITH collect(CASE WHEN same_time THEN {x: x, y: y, relation: relation, detail: detail,
                                       one: one, two: two} END) AS found,
     count(CASE WHEN pair AND NOT same_time THEN 1 END) AS changes
UNWIND CASE WHEN size(found) = 0 THEN [null] ELSE found END AS row
RETURN coalesce(row.relation, 'none') AS relation,
       row.x.name AS subject,
       row.y.name AS object,
       row.detail AS detail,
       row.one.as_of AS as_of,
       row.one.state AS account_1,
       row.one.r.sources AS sources_1,
       row.two.state AS account_2,
       row.two.r.sources AS sources_2,
       CASE WHEN row IS NULL
            THEN 'no two sources give different states for the same time; '
                 + toString(changes) + ' differ for different times (see compare-sources)'
            ELSE trim(coalesce(row.one.r.description, '') + ' / '
                      + coalesce(row.two.r.description, '')) END AS note,
       CASE WHEN row IS NULL THEN []
            ELSE reduce(u = [], l IN row.one.r.locators + row.two.r.locators |
                   CASE WHEN l IN u THEN u ELSE u + l END) END AS locators,
       CASE WHEN row IS NULL THEN [] ELSE [row.x, row.y, row.one.r, row.two.r] END AS _graph
ORDER BY relation, subject, object, detail, account_1, account_2
