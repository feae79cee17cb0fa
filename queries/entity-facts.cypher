// title: Everything the graph says about one entity
// description: >
//   Every fact that involves one entity, looked up by any id, name or alias (CPC, Sberbank,
//   Tokayev, EAEU): the relationship, the entity at the other end, the direction, the time,
//   the state or figure it carries, and its basis and sentences, background facts marked as
//   such. A quick way to see what the graph knows, and on what evidence, before asking a
//   sharper question.
// params:
//   name:
//     type: entity
//     default: Caspian Pipeline Consortium pipeline
//     description: the entity (any id, name or alias)
// tags: [exploration, provenance]
// examples:
//   - params: {name: CPC}
//     expect:
//       - {relation: ROUTE_STEP, direction: →, other: Russia, basis: documented}
//       - {relation: ROUTE_STEP, other: Black Sea, basis: background}
//       - {relation: EXPOSED_TO, other: Western sanctions on Russia}
//   - params: {name: Sberbank}
//     expect:
//       - {relation: OPERATES_IN, other: Kazakhstan}
//       - {relation: TARGETS, direction: ←, other: Western sanctions on Russia}
MATCH (subject:Entity {id: $name})-[r]-(other:Entity)
WHERE type(r) <> 'ROUTE_LEG'
RETURN type(r) AS relation,
       CASE WHEN startNode(r) = subject THEN '→' ELSE '←' END AS direction,
       other.name AS other,
       head([l IN labels(other) WHERE l <> 'Entity']) AS other_label,
       coalesce(r.date, r.since, r.year, '') + CASE WHEN r.until IS NULL THEN ''
         ELSE '–' + r.until END AS date,
       coalesce(r.office, r.status, r.stance, r.kind, r.figure, r.field, r.role, r.purpose,
                CASE WHEN r.order IS NULL THEN null ELSE 'step ' + r.order END, '') AS detail,
       r.description AS note,
       r.basis AS basis,
       coalesce(r.locators, []) AS locators,
       [subject, r, other] AS _graph
ORDER BY relation, direction, date, other
