// title: Shortest documented connection between two entities
// description: >
//   The three shortest chains of documented facts (of at most six steps) linking two entities, each named by any
//   id, name or alias (Putin, Vladimir Putin; EAEU; Turkey). Only relationships a source
//   states count: background facts and the loader's derived links (route legs, source
//   mentions) are left out, so every step can be checked against its sentence. Each chain
//   is spelled out with the direction and type of every step.
// params:
//   a:
//     type: entity
//     default: Xi Jinping
//     description: where the connection starts (any id, name or alias)
//   b:
//     type: entity
//     default: Vladimir Putin
//     description: where it ends (any id, name or alias)
// tags: [paths, provenance, exploration]
// examples:
//   - params: {a: Sberbank, b: Turkey}
//     expect:
//       - {rank: 1, steps: 2}
//     absent:
//       - {steps: 3}
//   - params: {a: Tokayev, b: Putin}
//     expect:
//       - {rank: 1, steps: 1, connection: Kassym-Jomart Tokayev —MET→ Vladimir Putin}
MATCH p = SHORTEST 3 (x:Entity {id: $a})
          (()-[r WHERE r.basis = 'documented'
                 AND NOT type(r) IN ['ROUTE_LEG', 'DOCUMENTED_IN']]-(:Entity)){1,6}
          (y:Entity {id: $b})
WITH p, nodes(p) AS ns, relationships(p) AS rs
WITH p, rs, reduce(text = ns[0].name, k IN range(0, size(rs) - 1) |
       text + CASE WHEN startNode(rs[k]) = ns[k] THEN ' —' + type(rs[k]) + '→ '
                   ELSE ' ←' + type(rs[k]) + '— ' END + ns[k + 1].name) AS connection
ORDER BY length(p), connection, [r IN rs | r.id]
WITH collect({p: p, rs: rs, connection: connection}) AS found
UNWIND range(0, size(found) - 1) AS i
WITH i + 1 AS rank, found[i].p AS p, found[i].rs AS rs, found[i].connection AS connection
RETURN rank,
       length(p) AS steps,
       connection,
       'documented' AS basis,
       reduce(all = [], l IN reduce(x = [], r IN rs | x + coalesce(r.locators, [])) |
         CASE WHEN l IN all THEN all ELSE all + l END) AS locators,
       // the steps with their ends, so that Neo4j Browser draws them
       [r IN rs | startNode(r)] + [r IN rs | endNode(r)] + rs AS _graph
