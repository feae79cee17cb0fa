// title: Mediation, hosted talks and peacekeeping
// description: >
//   Kazakhstan as a broker and contributor to peace: the talks it mediated or hosted (what
//   they were about, when, its role) and its deployments to UN peacekeeping missions (which
//   mission, when, how many people where the source gives a number). One row per talks
//   process and one per deployment, with the basis and the sentences behind each.
// params:
//   subject:
//     type: entity
//     default: Kazakhstan
//     description: the country whose mediation and deployments are listed (any id, name or alias)
// tags: [security, mediation, peacekeeping, un]
// examples:
//   - params: {}
//     expect:
//       - {activity: mediation, what: Astana Peace Process, about: Syria}
//       - {activity: mediation, what: Iran nuclear talks round hosted by Kazakhstan (2013),
//          date: "2013"}
//       - {activity: peacekeeping, what: United Nations Interim Force in Lebanon,
//          date: 2018-10, personnel: 120}
MATCH (kz:Entity {id: $subject})
CALL (kz) {
  MATCH (kz)-[tie:MEDIATED|HOSTED]->(talks:Event)
  WHERE EXISTS { (kz)-[:MEDIATED]->(talks) }
  WITH talks, collect(tie) AS ties
  OPTIONAL MATCH (talks)-[about:ABOUT]->(topic:Entity)
  WITH talks, ties, collect(about) AS abouts, collect(topic) AS topics
  RETURN 'mediation' AS activity, talks.name AS what,
         replace(coalesce(talks.kind, ''), '_', ' ') AS kind,
         [t IN topics | t.name] AS about,
         coalesce(talks.date, head([t IN ties WHERE t.date IS NOT NULL | t.date])) AS date,
         reduce(roles = [], t IN ties | roles + [r IN [coalesce(t.role, toLower(type(t)))]
                                               WHERE NOT r IN roles]) AS role,
         null AS personnel,
         coalesce(talks.date_note, talks.description) AS note,
         ties + abouts AS facts, [talks] + topics AS nodes
  UNION
  MATCH (kz)-[sent:DEPLOYED_TO]->(mission:Entity)
  RETURN 'peacekeeping' AS activity, mission.name AS what,
         replace(coalesce(mission.kind, ''), '_', ' ') AS kind,
         [(mission)<-[:HOSTED]-(host:Country) | host.name] AS about,
         coalesce(sent.date, sent.since, CASE WHEN sent.until IS NULL THEN null
                                              ELSE 'until ' + sent.until END) AS date,
         [replace(coalesce(sent.role, 'deployment'), '_', ' ')] AS role,
         coalesce(sent.personnel, sent.count) AS personnel,
         sent.description AS note,
         [sent] AS facts, [mission] AS nodes
}
RETURN activity, what, kind, about, date, role, personnel, note,
       CASE WHEN all(f IN facts WHERE f.basis = 'documented') THEN 'documented'
            ELSE 'background' END AS basis,
       reduce(all = [], l IN reduce(x = [], f IN facts | x + coalesce(f.locators, [])) |
         CASE WHEN l IN all THEN all ELSE all + l END) AS locators,
       [kz] + nodes + facts AS _graph,
       replace(coalesce(date, ''), 'until ', '') AS _when
ORDER BY activity, _when, what
