// title: Routes that cross a country (Russia by default)
// description: >
//   Export and transit routes with a step in a country (Russia by default) or in a place
//   inside it (up to three LOCATED_IN steps down, found once): which step it is, the
//   segment that runs through its territory (the step before, the country,
//   the step after), the route's whole path, what the route is exposed to (sanctions,
//   disruptions), and the basis and sentences behind the Russian step. This is the
//   transit dependence the Trans-Caspian corridor and the Iran rail link are meant to ease.
//   At most `limit` rows, by route and step (a large network has thousands).
// params:
//   country:
//     type: entity
//     default: Russia
//     description: the country (or region) the routes cross (any id, name or alias)
//   limit:
//     type: int
//     default: 200
//     description: at most this many rows, the first in the answer's order (raise it for more)
// tags: [routes, russia, exposure, transport]
// examples:
//   - params: {}
//     expect:
//       - {route_id: cpc-pipeline, russian_step: Russia, segment: Kazakhstan → Russia → Black Sea}
//       - {route_id: kz-europe-via-russia, segment: Kazakhstan → Russia → Europe}
//     absent:
//       - {route_id: middle-corridor}
//       - {route_id: kz-iran-turkey-rail}
MATCH (crossed:Entity {id: $country})
// the country and every place inside it (up to three LOCATED_IN steps down), found once,
// then the steps there: the search starts from the country, not from every route
MATCH (place:Entity)-[:LOCATED_IN]->{0,3}(crossed)
WITH DISTINCT place
MATCH (route:Route)-[step:ROUTE_STEP]->(place)
// the first steps by route and order, then the work for each: a large network has thousands
WITH route, step, place
ORDER BY route.name, route.id, step.order
LIMIT toInteger($limit)
CALL (route) {
  MATCH (route)-[s:ROUTE_STEP]->(p:Entity)
  WITH s, p
  ORDER BY s.order
  RETURN collect(p) AS places, collect(s) AS steps
}
WITH route, step, place, places, steps,
     [i IN range(0, size(steps) - 1) WHERE abs(steps[i].order - step.order) <= 1
      | places[i]] AS segment
CALL (route) {
  OPTIONAL MATCH (route)-[exposed:EXPOSED_TO]->(risk:Entity)
  RETURN collect(risk.name + ' (' + exposed.basis + ')') AS exposed_to,
         collect(exposed) AS exposures
}
RETURN route.name AS route,
       route.id AS route_id,
       step.order + ' of ' + size(steps) AS step,
       place.name AS russian_step,
       step.role AS role,
       reduce(text = head(segment).name, p IN tail(segment) | text + ' → ' + p.name)
         AS segment,
       reduce(path = head(places).name, p IN tail(places) | path + ' → ' + p.name) AS path,
       exposed_to,
       step.basis AS basis,
       step.locators AS locators,
       // the route and the risks come as ends of the step and the exposures
       [route, step] + segment + exposures + [e IN exposures | endNode(e)] AS _graph,
       step.order AS _order
ORDER BY route, route_id, _order
