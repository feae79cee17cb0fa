// title: People and their offices
// description: >
//   The people in the graph with the offices they hold or held (in a state, organisation
//   or company), the term where the sources give it, whom they succeeded, and how many
//   documented facts involve them, so the actors behind visits, meetings and signatures
//   can be placed. Kazakhstan's office holders come first. Each office shows its basis and
//   the sentences that name it.
// params:
//   subject:
//     type: entity
//     default: Kazakhstan
//     description: the country whose office holders come first (any id, name or alias)
// tags: [people, offices, diplomacy]
// examples:
//   - params: {}
//     expect:
//       - {person: Kassym-Jomart Tokayev, office: President, body: Kazakhstan, since: "2019",
//          succeeded: Nursultan Nazarbayev}
//       - {person: Nursultan Nazarbayev, office: President, since: "1990", until: "2019"}
//       - {person: Wang Yi, office: Minister of Foreign Affairs, body: China}
MATCH (person:Person)-[office:HOLDS_OFFICE]->(body:Entity)
OPTIONAL MATCH (person)-[follow:SUCCEEDED]->(predecessor:Person)
WITH person, office, body, collect(follow) AS follows, collect(predecessor) AS predecessors
WITH person, office, body, follows, predecessors,
     COUNT { (person)-[r]-(:Entity) WHERE r.basis = 'documented'
             AND NOT type(r) IN ['HOLDS_OFFICE', 'SUCCEEDED'] } AS facts
RETURN person.name AS person,
       office.office AS office,
       body.name AS body,
       office.since AS since,
       office.until AS until,
       [p IN predecessors
        WHERE EXISTS { (p)-[:HOLDS_OFFICE {office: office.office}]->(body) }
        | p.name] AS succeeded,
       facts AS other_facts,
       office.basis AS basis,
       office.locators AS locators,
       [person, office, body] + follows + predecessors AS _graph,
       CASE body.id WHEN $subject THEN 0 ELSE 1 END AS _order
ORDER BY _order, body, person, office
