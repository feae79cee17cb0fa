// title: Transit paths from Kazakhstan that avoid a country
// description: >
//   The three shortest chains of route legs (consecutive steps of the documented corridors,
//   pipelines and rail links), of at most eight legs, from Kazakhstan to a destination that
//   never pass through the country to avoid. The destination (and, for a bloc, the region it
//   lies in) is found first, so each search has a bound end and stops there. The avoid filter sits inside the quantified path pattern, so paths
//   are chosen among those that avoid it, not filtered afterwards. Each path lists the
//   routes it rides on, which legs rest on background knowledge, and the sentences behind
//   the documented legs. Destination and avoided country accept any id, name or alias.
// params:
//   destination:
//     type: entity
//     default: Türkiye
//     description: where the goods should arrive (a country, sea, region or bloc; TUR, EU)
//   avoid:
//     type: entity
//     default: Russia
//     description: the country (or place) no leg may pass through
//   subject:
//     type: entity
//     default: Kazakhstan
//     description: where the paths start (any id, name or alias)
// tags: [routes, transit, russia, diversification]
// examples:
//   - params: {destination: Turkey, avoid: Russia}
//     ordered: true
//     expect:
//       - {rank: 1, path: Kazakhstan → Turkmenistan → Iran → Türkiye, legs: 3}
//       - {rank: 2, path: Kazakhstan → Caspian Sea → Azerbaijan → Georgia → Türkiye, legs: 4}
//   - params: {destination: EU, avoid: RUS}
//     expect:
//       - {path: Kazakhstan → Caspian Sea → Azerbaijan → Georgia → Türkiye → Europe}
//     absent:
//       - {path: Kazakhstan → Russia → Europe}
MATCH (start:Entity {id: $subject}), (target:Entity {id: $destination})
// a bloc (the EU) is reached where routes reach the region it lies in (Europe)
OPTIONAL MATCH (target:Organisation)-[:LOCATED_IN]->(region:Entity)
WITH start, target, collect(region) AS regions
WITH start, [target] + regions AS ends
// each end is bound before the search, so it stops there; at most eight legs
UNWIND ends AS dest
CALL (start, dest) {
  MATCH p = SHORTEST 3 (start)
            (()-[:ROUTE_LEG]-(n:Entity WHERE n.id <> $avoid)){1,8}
            (dest)
  RETURN p
}
// legs of two routes can join the same two places: one row per sequence of places,
// shown by its best-documented path, naming every route that covers it
WITH p, [n IN nodes(p) | n.name] AS places,
     size([leg IN relationships(p) WHERE leg.basis = 'documented']) AS documented
ORDER BY documented DESC
WITH places, collect(p) AS paths
WITH places, paths, head(paths) AS p ORDER BY size(places), places
WITH collect({places: places, paths: paths, p: p}) AS found
UNWIND range(0, size(found) - 1) AS i
WITH i + 1 AS rank, found[i].places AS places, found[i].paths AS paths, found[i].p AS p
WITH rank, places, paths, p, reduce(all = [], q IN paths | all + relationships(q)) AS legs
RETURN rank,
       reduce(text = head(places), n IN tail(places) | text + ' → ' + n) AS path,
       length(p) AS legs,
       reduce(routes = [], leg IN legs |
         CASE WHEN leg.route_name IN routes THEN routes ELSE routes + leg.route_name END)
         AS routes,
       [leg IN relationships(p) WHERE leg.basis = 'background'
        | startNode(leg).name + ' – ' + endNode(leg).name] AS background_legs,
       CASE WHEN all(leg IN relationships(p) WHERE leg.basis = 'documented')
            THEN 'documented' ELSE 'background' END AS basis,
       reduce(all = [], l IN reduce(x = [], leg IN legs | x + coalesce(leg.locators, [])) |
         CASE WHEN l IN all THEN all ELSE all + l END) AS locators,
       paths AS _graph
