// title: Routes that bypass Russia
// description: >
//   Export and transit routes (corridors, pipelines, rail links) none of whose steps is
//   Russia or a place inside Russia, each with its ordered path, which steps rest on
//   background knowledge rather than a source (the sources often name a route's partner
//   states but not their sequence), who runs or promotes the route, and the sentences its
//   documented steps rest on. These are the alternatives Kazakhstan is building to its
//   dependence on Russian transit.
// tags: [routes, russia, diversification, transport]
// examples:
//   - params: {}
//     expect:
//       - {route_id: middle-corridor, route: Trans-Caspian International Transport Route}
//       - {route_id: kz-iran-turkey-rail}
//     absent:
//       - {route_id: cpc-pipeline}
//       - {route_id: kz-europe-via-russia}
MATCH (route:Route)
WHERE NOT EXISTS {
  (route)-[:ROUTE_STEP]->()-[:LOCATED_IN]->{0,3}(:Entity {id: 'RUS'})
}
MATCH (route)-[step:ROUTE_STEP]->(place:Entity)
WITH route, step, place
ORDER BY step.order
WITH route, collect(place) AS places, collect(step) AS steps
OPTIONAL MATCH (route)-[:OPERATED_BY]->(operator:Entity)
WITH route, places, steps, collect(DISTINCT operator.name) AS operators
RETURN route.name AS route,
       route.id AS route_id,
       reduce(path = head(places).name, p IN tail(places) | path + ' → ' + p.name) AS path,
       [i IN range(0, size(steps) - 1) WHERE steps[i].basis = 'background' | places[i].name]
         AS background_steps,
       size([s IN steps WHERE s.basis = 'documented']) + ' of ' + size(steps)
         AS documented_steps,
       CASE WHEN all(s IN steps WHERE s.basis = 'documented') THEN 'documented'
            ELSE 'background' END AS basis,
       operators,
       reduce(all = [], s IN steps |
         all + [l IN coalesce(s.locators, []) WHERE NOT l IN all]) AS locators,
       [route] + places + steps AS _graph
ORDER BY route
