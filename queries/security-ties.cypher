// title: Security ties by partner
// description: >
//   Kazakhstan's military and security cooperation partner by partner: arms and drone
//   production, intelligence, exercises, military visits and relations, the defence deals
//   behind them and the Russia-led exercises and alliances it takes part in, with dates
//   where the sources give them. Shows how the 2022 Turkish drone and intelligence deal
//   sits beside the older Russian and Chinese ties, each with its basis and sentences.
// params:
//   subject:
//     type: entity
//     default: Kazakhstan
//     description: the country whose security ties are listed (any id, name or alias)
// tags: [security, arms, russia, china, turkiye, multi-vector]
// examples:
//   - params: {}
//     expect:
//       - {partner: Russia, kind: arms production, date: 2019-01}
//       - {partner: Russia, kind: exercise}
//       - {partner: Türkiye, kind: drone production, date: 2022-05}
//       - {partner: Türkiye, kind: intelligence}
//       - {partner: China, kind: military visit, date: "2018"}
MATCH (kz:Entity {id: $subject})
CALL (kz) {
  MATCH (kz)-[tie:SECURITY_TIE]-(partner:Entity)
  RETURN partner, replace(tie.kind, '_', ' ') AS kind, coalesce(tie.date, tie.since) AS date,
         tie.description AS detail, [tie] AS facts
  UNION
  MATCH (kz)-[signed:SIGNED]->(deal:Agreement)<-[other:SIGNED]-(partner:Country)
  WHERE any(word IN ['defence', 'arms', 'military'] WHERE deal.kind CONTAINS word)
  RETURN partner, 'deal: ' + deal.name AS kind, coalesce(signed.date, deal.date) AS date,
         deal.description AS detail, [signed, other] AS facts
  UNION
  MATCH (kz)-[took:PARTICIPATED_IN|DEPLOYED_TO]->(event:Event)-[lead:LED_BY]->(partner:Entity)
  WHERE event.kind CONTAINS 'exercise' OR event.kind CONTAINS 'military'
  RETURN partner, 'took part in ' + event.name AS kind, coalesce(took.date, event.date) AS date,
         event.description AS detail, [took, lead] AS facts
  UNION
  MATCH (kz)-[member:MEMBER_OF]->(alliance:Organisation)-[lead:LED_BY]->(partner:Entity)
  WHERE alliance.kind CONTAINS 'security'
  RETURN partner, 'member of ' + alliance.name AS kind, member.since AS date,
         alliance.description AS detail, [member, lead] AS facts
}
RETURN partner.name AS partner, kind, date, detail,
       CASE WHEN all(f IN facts WHERE f.basis = 'documented') THEN 'documented'
            ELSE 'background' END AS basis,
       reduce(all = [], l IN reduce(x = [], f IN facts | x + coalesce(f.locators, [])) |
         CASE WHEN l IN all THEN all ELSE all + l END) AS locators,
       [kz, partner] + facts AS _graph
ORDER BY partner, date, kind
