// title: Kazakhstan's relations as of a date
// description: >
//   What held on a given date: Kazakhstan's dated relationships (the state's and its office
//   holders') that had begun by then and had not ended, and the dated events, visits,
//   figures and agreements up to then, leaving out everything that came later. A fact's
//   time is its own date, period (since, until) or year, else the date of the event or
//   agreement it concerns, else the date of the latest source that states it (as_of);
//   time_basis says which: stated (by the source), source_date (derived from the source's
//   date: the fact held at least by then) or none. Dates are partial and compared at the
//   precision both share, so "2019" counts as on or before "2019-06". Background facts
//   with no time at all cannot be placed and are left out unless asked for.
// params:
//   date:
//     type: date
//     default: 2019-12
//     description: the date to look from (YYYY, YYYY-MM or YYYY-MM-DD)
//   include_undated:
//     type: bool
//     default: false
//     description: also list facts with no date at all, marked undated
//   subject:
//     type: entity
//     default: Kazakhstan
//     description: the country whose relations are read (any id, name or alias)
// empty: >
//   MATCH ()-[r]->() WITH toString(coalesce(r.date, r.since, r.year)) AS d
//   WHERE d IS NOT NULL
//   RETURN "The data's dates run from " + min(d) + ' to ' + max(d) + '.'
// tags: [timeline, time, state]
// examples:
//   - params: {date: 2019-06}
//     expect:
//       - {relation: HOLDS_OFFICE, subject: Kassym-Jomart Tokayev, detail: President,
//          held: since 2019}
//       - {relation: SIGNED, object: Russian military helicopter assembly deal}
//       - {relation: RELATIONS_WITH, object: Russia, detail: close, time_basis: stated}
//     absent:
//       - {time_basis: source_date}
//       - {object: Anka drone production deal}
//       - {object: United Nations Security Council}
//       - {relation: RELATIONS_WITH, object: Russia, detail: friction}
//   - params: {date: 2022-09}
//     expect:
//       - {relation: RELATIONS_WITH, object: Russia, detail: friction}
//       - {object: Anka drone production deal}
//       - {relation: RELATIONS_WITH, object: Russia, detail: strategic_partnership,
//          time_basis: source_date, date: 2020-04}
MATCH (kz:Entity {id: $subject})
// the facts touching the subject or one of its office holders, each once: the search
// starts from them, not from every relationship in the graph
UNWIND [kz] + COLLECT { MATCH (holder:Person)-[:HOLDS_OFFICE]->(kz) RETURN DISTINCT holder }
  AS side
MATCH (side)-[r]-(:Entity)
WHERE NOT type(r) IN ['ROUTE_LEG', 'DOCUMENTED_IN', 'LOCATED_IN', 'BASED_IN', 'BORDERS']
WITH DISTINCT r
WITH r, startNode(r) AS a, endNode(r) AS b
WITH r, a, b,
     coalesce(r.since, r.date, r.year,
              CASE WHEN b:Event OR b:Agreement THEN b.date END,
              CASE WHEN a:Event OR a:Agreement THEN a.date END) AS stated,
     coalesce(CASE WHEN r.time_basis = 'source_date' THEN r.as_of END,
              reduce(last = null, d IN coalesce(r.source_dates, []) |
                CASE WHEN last IS NULL OR d > last THEN d ELSE last END)) AS source_date,
     r.until AS until
WITH r, a, b, until, coalesce(stated, source_date) AS start,
     CASE WHEN stated IS NOT NULL OR until IS NOT NULL THEN 'stated'
          WHEN source_date IS NOT NULL THEN 'source_date' ELSE 'none' END AS time_basis
WHERE (start IS NULL AND until IS NULL AND $include_undated)
   OR ((start IS NULL OR left(start, size($date)) <= left($date, size(start)))
       AND (until IS NULL OR left($date, size(until)) <= until)
       AND (start IS NOT NULL OR until IS NOT NULL))
RETURN coalesce(start, '') AS date,
       CASE
         WHEN start IS NULL AND until IS NULL THEN 'undated'
         WHEN r.since IS NOT NULL AND until IS NOT NULL THEN r.since + '–' + until
         WHEN r.since IS NOT NULL THEN 'since ' + r.since
         WHEN until IS NOT NULL THEN 'until ' + until
         WHEN r.year IS NOT NULL THEN 'figure for ' + r.year
         WHEN time_basis = 'source_date' THEN 'by ' + start + ' (source date)'
         ELSE 'on ' + start
       END AS held,
       time_basis,
       type(r) AS relation,
       a.name AS subject,
       b.name AS object,
       coalesce(r.office, r.status, r.stance, r.kind, r.figure, r.field, r.role, r.purpose, '')
         AS detail,
       r.basis AS basis,
       r.locators AS locators,
       // the fact brings its two ends
       [startNode(r), r, endNode(r)] AS _graph
ORDER BY date, relation, subject, object, r.id
