// title: Kazakhstan's exposure to Russia (or another country)
// description: >
//   Everything in the graph through which Kazakhstan depends on Russia (or whichever
//   country is asked about, from whichever subject): export routes that
//   cross Russian territory, Russian banks operating in Kazakhstan, Russia-led
//   organisations it belongs to, arms deals, exercises and other security ties, trade
//   figures, sanctions on Russia that reach Kazakhstan, and open issues with Russia. One
//   row per dependency, with what ties it to Russia, when, its basis and its sentences.
//   At most `limit` rows, in that order (a large route network has thousands).
// params:
//   country:
//     type: entity
//     default: Russia
//     description: the country depended on (any id, name or alias)
//   subject:
//     type: entity
//     default: Kazakhstan
//     description: the exposed country (any id, name or alias)
//   limit:
//     type: int
//     default: 200
//     description: at most this many rows, the first in the answer's order (raise it for more)
// tags: [russia, exposure, sanctions, security, routes]
// examples:
//   - params: {}
//     expect:
//       - {area: transit route, item: Caspian Pipeline Consortium pipeline}
//       - {area: bank, item: Sberbank}
//       - {area: bank, item: VTB Bank}
//       - {area: bank, item: Alfa-Bank}
//       - {area: organisation, item: Eurasian Economic Union}
//       - {area: organisation, item: Collective Security Treaty Organization}
//       - {area: arms deal, item: Russian military helicopter assembly deal}
//       - {area: sanctions, item: Western sanctions on Russia}
//       - {area: trade, item: Trade with Russia in 2018}
//     absent:
//       - {item: Trans-Caspian International Transport Route}
MATCH (kz:Entity {id: $subject}), (rus:Entity {id: $country})
CALL (kz, rus) {
  MATCH (route:Route)-[step:ROUTE_STEP]->(place:Entity)-[located:LOCATED_IN]->{0,3}(rus)
  OPTIONAL MATCH (route)-[exposed:EXPOSED_TO]->(risk:Entity)
  WITH route, step, place, located, collect(exposed) AS exposures, collect(risk) AS risks
  RETURN 'transit route' AS area, route.name AS item,
         'crosses ' + place.name + ' (step ' + step.order + ')'
           + CASE WHEN size(risks) = 0 THEN ''
                  ELSE '; exposed to ' + reduce(t = head(risks).name, r IN tail(risks)
                                                | t + ', ' + r.name) END AS dependency,
         step.date AS date, step.basis AS basis, step.locators AS locators,
         [step] + located + exposures AS graph
  UNION
  MATCH (bank:Bank|Company)-[based:BASED_IN]->(rus), (bank)-[present:OPERATES_IN]->(kz)
  OPTIONAL MATCH (programme:Programme)-[target:TARGETS]->(bank)
  RETURN toLower(head([l IN labels(bank) WHERE l <> 'Entity'])) AS area, bank.name AS item,
         toLower(head([l IN labels(bank) WHERE l <> 'Entity'])) + ' based in ' + rus.name
           + ' operating in ' + kz.name
           + CASE WHEN programme IS NULL THEN '' ELSE '; targeted by ' + programme.name END
           AS dependency,
         coalesce(target.since, target.date) AS date,
         CASE WHEN present.basis = based.basis = 'documented' THEN 'documented'
              ELSE 'background' END AS basis,
         coalesce(present.locators, []) + coalesce(based.locators, [])
           + coalesce(target.locators, []) AS locators,
         [based, present, target] AS graph
  UNION
  MATCH (kz)-[member:MEMBER_OF]->(org:Entity)-[lead:LED_BY]->(rus)
  WITH kz, member, org, lead,
       [(org)-[:LED_BY]->(other:Entity) WHERE other <> rus | other.name] AS co_leaders
  RETURN 'organisation' AS area, org.name AS item,
         CASE coalesce(member.role, 'member') WHEN 'member' THEN 'member'
              ELSE replace(member.role, '_', ' ') END + ' of a body led by ' + rus.name
           + reduce(t = '', n IN co_leaders | t + ' and ' + n)
           + CASE lead.basis WHEN 'background' THEN ' (the lead: background)' ELSE '' END
           AS dependency,
         member.since AS date, member.basis AS basis,
         coalesce(member.locators, []) + coalesce(lead.locators, []) AS locators,
         [member, lead] AS graph
  UNION
  MATCH (kz)-[signed:SIGNED|PLEDGED]->(deal:Agreement)<-[:SIGNED|PLEDGED]-(rus)
  WHERE any(word IN ['defence', 'arms', 'military'] WHERE deal.kind CONTAINS word)
  RETURN 'arms deal' AS area, deal.name AS item,
         coalesce(deal.description, 'agreement signed with ' + rus.name) AS dependency,
         coalesce(signed.date, deal.date) AS date, signed.basis AS basis,
         signed.locators AS locators, [signed] AS graph
  UNION
  MATCH (kz)-[tie:SECURITY_TIE]-(rus)
  RETURN 'security' AS area, replace(tie.kind, '_', ' ') AS item,
         coalesce(tie.description, tie.kind) AS dependency,
         coalesce(tie.date, tie.since) AS date, tie.basis AS basis, tie.locators AS locators,
         [tie] AS graph
  UNION
  MATCH (kz)-[took:PARTICIPATED_IN|DEPLOYED_TO]->(event:Entity)-[lead:LED_BY]->(rus)
  RETURN 'security' AS area, event.name AS item,
         'took part in a ' + rus.name + '-led ' + replace(coalesce(event.kind, 'event'), '_', ' ')
           AS dependency,
         coalesce(took.date, event.date) AS date, took.basis AS basis,
         coalesce(took.locators, []) + coalesce(lead.locators, []) AS locators,
         [took, lead] AS graph
  UNION
  MATCH (kz)-[trade:TRADES_WITH]-(rus)
  WHERE trade.figure IN ['actual', 'estimate']
  RETURN 'trade' AS area, 'Trade with ' + rus.name + coalesce(' in ' + trade.year, '') AS item,
         trade.figure + ' ' + CASE WHEN trade.value_usd IS NULL THEN 'figure'
           ELSE 'US$' + toString(round(trade.value_usd / 1e9, 1)) + ' bn' END
           + coalesce('; ' + trade.description, '') AS dependency,
         trade.year AS date, trade.basis AS basis, trade.locators AS locators,
         [trade] AS graph
  UNION
  MATCH (kz)-[exposed:EXPOSED_TO]->(programme:Programme)-[target:TARGETS]->(rus)
  RETURN 'sanctions' AS area, programme.name AS item,
         'exposed' + coalesce(' via ' + exposed.channel, '')
           + coalesce(': ' + exposed.description, '') AS dependency,
         coalesce(exposed.since, exposed.date) AS date, exposed.basis AS basis,
         exposed.locators AS locators, [exposed, target] AS graph
  UNION
  MATCH (kz)-[party:PARTY_TO]->(issue:Issue)<-[other:PARTY_TO]-(rus)
  // Kazakhstan's latest status on the issue (its own date, else its latest source's)
  WITH kz, rus, issue, party, other,
       coalesce(party.date, party.since,
                reduce(last = '', d IN coalesce(party.source_dates, []) |
                  CASE WHEN d > last THEN d ELSE last END)) AS held
  ORDER BY held DESC
  WITH kz, rus, issue, head(collect(party)) AS party, head(collect(held)) AS held,
       collect(DISTINCT other) AS others
  WHERE party.status <> 'resolved'
  RETURN 'issue' AS area, issue.name AS item,
         'shared issue, status ' + party.status AS dependency,
         held AS date,
         CASE WHEN all(f IN [party] + others WHERE f.basis = 'documented') THEN 'documented'
              ELSE 'background' END AS basis,
         reduce(x = coalesce(party.locators, []), f IN others | x + coalesce(f.locators, []))
           AS locators,
         [party] + others AS graph
}
// each graph holds relationships only: their ends come with them, so a hub such as the
// subject (with its long provenance) is read once for a picture, not once per row
RETURN area, item, dependency, date, basis,
       reduce(all = [], l IN locators | CASE WHEN l IN all THEN all ELSE all + l END)
         AS locators,
       graph AS _graph
ORDER BY CASE area WHEN 'transit route' THEN 1 WHEN 'trade' THEN 2 WHEN 'bank' THEN 3
                   WHEN 'sanctions' THEN 4 WHEN 'organisation' THEN 5 WHEN 'arms deal' THEN 6
                   WHEN 'security' THEN 7 ELSE 8 END,
         item
LIMIT toInteger($limit)
