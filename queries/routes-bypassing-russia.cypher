// title: Routes that bypass a country (Russia by default)
// description: >
//   Export and transit routes (corridors, pipelines, rail links) none of whose steps is
//   the avoided country (Russia by default) or a place inside it (the places inside are
//   found once, up to three LOCATED_IN steps down), each with its ordered path, which steps rest on
//   background knowledge rather than a source (the sources often name a route's partner
//   states but not their sequence), who runs or promotes the route, and the sentences its
//   documented steps rest on. These are the alternatives Kazakhstan is building to its
//   dependence on Russian transit. At most `limit` routes, by name (a large network has
//   thousands).
// params:
//   avoid:
//     type: entity
//     default: Russia
//     description: the country (or region) no step may be in (any id, name or alias)
//   limit:
//     type: int
//     default: 200
//     description: at most this many rows, the first in the answer's order (raise it for more)
// tags: [routes, russia, diversification, transport]
// examples:
//   - params: {}
//     expect:
//       - {route_id: middle-corridor, route: Trans-Caspian International Transport Route}
//       - {route_id: kz-iran-turkey-rail}
//     absent:
//       - {route_id: cpc-pipeline}
//       - {route_id: kz-europe-via-russia}
//   - params: {avoid: Iran}
//     expect:
//       - {route_id: middle-corridor}
//       - {route_id: cpc-pipeline}
//     absent:
//       - {route_id: kz-iran-turkey-rail}
MATCH (avoided:Entity {id: $avoid})
// the routes with a step in the avoided country or in a place inside it (up to three
// LOCATED_IN steps down), found once from the country's side
CALL (avoided) {
  MATCH (crossing:Route)-[:ROUTE_STEP]->(:Entity)-[:LOCATED_IN]->{0,3}(avoided)
  RETURN collect(DISTINCT crossing) AS crossing
}
MATCH (route:Route)
WHERE NOT route IN crossing AND EXISTS { (route)-[:ROUTE_STEP]->(:Entity) }
// the first routes by name, then the work for each: a large network has thousands
WITH route ORDER BY route.name, route.id LIMIT toInteger($limit)
CALL (route) {
  MATCH (route)-[step:ROUTE_STEP]->(place:Entity)
  WITH step, place
  ORDER BY step.order
  RETURN collect(place.name) AS places, collect(step) AS steps
}
RETURN route.name AS route,
       route.id AS route_id,
       reduce(path = head(places), p IN tail(places) | path + ' → ' + p) AS path,
       [i IN range(0, size(steps) - 1) WHERE steps[i].basis = 'background' | places[i]]
         AS background_steps,
       size([s IN steps WHERE s.basis = 'documented']) + ' of ' + size(steps)
         AS documented_steps,
       CASE WHEN all(s IN steps WHERE s.basis = 'documented') THEN 'documented'
            ELSE 'background' END AS basis,
       COLLECT { MATCH (route)-[:OPERATED_BY]->(operator:Entity) RETURN DISTINCT operator.name }
         AS operators,
       reduce(all = [], s IN steps |
         all + [l IN coalesce(s.locators, []) WHERE NOT l IN all]) AS locators,
       // the route, its places and its steps, so that Neo4j Browser draws them
       [route] + [s IN steps | endNode(s)] + steps AS _graph
ORDER BY route, route_id
