// title: Security ties by partner
// description: >
//   Kazakhstan's military and security cooperation partner by partner: arms and drone
//   production, intelligence, exercises, military visits and relations, the defence deals
//   behind them and the Russia-led exercises and alliances it takes part in, with dates
//   where the sources give them. A tie told in the same sentences as a deal, an exercise or
//   an alliance is shown once, on that row (its kinds listed there), never twice. Shows how the 2022 Turkish drone and intelligence deal
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
//       - {partner: Russia, kind: arms production, date: 2019-01,
//          what: Russian military helicopter assembly deal}
//       - {partner: Russia, kind: exercise, what: Centre 2019}
//       - {partner: Türkiye, kind: "drone production, intelligence", date: 2022-05,
//          what: Anka drone production deal}
//       - {partner: China, kind: military relations}
//     absent:
//       - {partner: Russia, kind: arms production, what: null}
//       - {partner: Türkiye, kind: drone production, what: null}
MATCH (kz:Entity {id: $subject})
CALL (kz) {
  MATCH (kz)-[tie:SECURITY_TIE]-(partner:Entity)
  RETURN partner, replace(tie.kind, '_', ' ') AS kind, null AS what,
         coalesce(tie.date, tie.since) AS date, tie.description AS detail, [tie] AS facts
  UNION
  MATCH (kz)-[signed:SIGNED|PLEDGED]->(deal:Agreement)<-[other:SIGNED|PLEDGED]-(partner:Country)
  WHERE any(word IN ['defence', 'arms', 'military'] WHERE deal.kind CONTAINS word)
  RETURN partner, 'deal' AS kind, deal.name AS what, coalesce(signed.date, deal.date) AS date,
         deal.description AS detail, [signed, other] AS facts
  UNION
  MATCH (kz)-[took:PARTICIPATED_IN|DEPLOYED_TO]->(event:Event)-[lead:LED_BY]->(partner:Entity)
  WHERE event.kind CONTAINS 'exercise' OR event.kind CONTAINS 'military'
  RETURN partner, 'took part' AS kind, event.name AS what,
         coalesce(took.date, event.date) AS date, event.description AS detail,
         [took, lead] AS facts
  UNION
  MATCH (kz)-[member:MEMBER_OF]->(alliance:Organisation)-[lead:LED_BY]->(partner:Entity)
  WHERE alliance.kind CONTAINS 'security'
  RETURN partner, 'member' AS kind, alliance.name AS what, member.since AS date,
         alliance.description AS detail, [member, lead] AS facts
}
WITH kz, partner, kind, what, date, detail, facts ORDER BY kind
WITH kz, partner, collect({kind: kind, what: what, date: date, detail: detail, facts: facts,
                           locators: reduce(u = [], f IN facts | u + coalesce(f.locators, []))})
       AS rows
WITH kz, partner, [r IN rows WHERE r.what IS NOT NULL] AS items,
     [r IN rows WHERE r.what IS NULL] AS ties
// a tie told in the same sentences as a deal, exercise or alliance goes on that row
UNWIND [item IN items | item {.*, ties: [t IN ties WHERE any(l IN t.locators
                                                             WHERE l IN item.locators)]}]
       + [t IN ties WHERE none(item IN items WHERE any(l IN t.locators
                                                   WHERE l IN item.locators)) | t {.*, ties: []}]
       AS row
WITH kz, partner, row, row.facts + reduce(u = [], t IN row.ties | u + t.facts) AS facts
RETURN partner.name AS partner,
       CASE WHEN size(row.ties) > 0
            THEN reduce(k = '', t IN row.ties | k + CASE k WHEN '' THEN '' ELSE ', ' END + t.kind)
            ELSE row.kind END AS kind,
       row.what AS what,
       coalesce(row.date, head([t IN row.ties WHERE t.date IS NOT NULL | t.date])) AS date,
       row.detail AS detail,
       CASE WHEN all(f IN facts WHERE f.basis = 'documented') THEN 'documented'
            ELSE 'background' END AS basis,
       reduce(all = [], l IN reduce(x = [], f IN facts | x + coalesce(f.locators, [])) |
         CASE WHEN l IN all THEN all ELSE all + l END) AS locators,
       [kz, partner] + facts AS _graph
ORDER BY partner, date, kind, what
