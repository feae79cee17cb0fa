// title: Agreements signed in a date range
// description: >
//   Treaties, deals, declarations and joint statements Kazakhstan (or one of its office
//   holders) signed, ratified or joined, or agreed in principle (commitment: pledged, not
//   a signed text) between two dates, oldest first, with every party,
//   where it was signed, what it concerns and the basis and sentences behind it. Dates are
//   partial (2018, 2019-04, 2022-06-15) and compared at the precision both sides share, so
//   an agreement dated only "2019" falls in a range that starts in 2019.
// params:
//   from:
//     type: date
//     default: "1990"
//     description: earliest date (YYYY, YYYY-MM or YYYY-MM-DD)
//   to:
//     type: date
//     default: "2030"
//     description: latest date, included
//   subject:
//     type: entity
//     default: Kazakhstan
//     description: the country whose agreements are listed (any id, name or alias)
// empty: >
//   MATCH (kz:Entity {id: $subject})
//   OPTIONAL MATCH (kz)-[s:SIGNED|PLEDGED]->(deal:Agreement)
//   WITH kz.name AS name, coalesce(deal.date, s.date, s.since) AS d
//   WITH name, count(d) AS dated, min(d) AS first, max(d) AS last
//   RETURN CASE dated WHEN 0 THEN 'The graph dates no agreement of ' + name + '.'
//     ELSE 'The agreements of ' + name + ' are dated from ' + first + ' to ' + last + '.' END
// tags: [agreements, diplomacy, timeline]
// examples:
//   - params: {from: "2022", to: "2022-12"}
//     expect:
//       - {agreement: Anka drone production deal, date: 2022-05, commitment: pledged}
//       - {agreement: Trans-Caspian East-West corridor declaration, date: 2022-03}
//     absent:
//       - {agreement: Russian military helicopter assembly deal}
//   - params: {from: "2018", to: "2019"}
//     expect:
//       - {agreement: Russian military helicopter assembly deal, date: 2019-01}
//       - {agreement: Convention on the Legal Status of the Caspian Sea, date: 2018-08}
MATCH (kz:Entity {id: $subject})
MATCH (deal:Agreement)
WHERE EXISTS { (kz)-[:SIGNED|PLEDGED]->(deal) }
   OR EXISTS { (kz)<-[:HOLDS_OFFICE]-(:Person)-[:SIGNED|PLEDGED]->(deal) }
MATCH (party:Entity)-[signed:SIGNED|PLEDGED]->(deal)
WITH deal, collect(party) AS parties, collect(signed) AS signatures,
     [s IN collect(signed) WHERE coalesce(s.date, s.since) IS NOT NULL
      | coalesce(s.date, s.since)] AS dates
WITH deal, parties, signatures,
     coalesce(deal.date, reduce(first = head(dates), d IN dates |
       CASE WHEN d < first THEN d ELSE first END)) AS date
WHERE date IS NOT NULL
  AND left(date, size($from)) >= left($from, size(date))
  AND left(date, size($to)) <= $to
OPTIONAL MATCH (deal)-[held:HELD_IN]->(place:Entity)
OPTIONAL MATCH (deal)-[about:ABOUT]->(topic:Entity)
WITH deal, parties, signatures, date, collect(DISTINCT place) AS places,
     collect(DISTINCT held) + collect(DISTINCT about) AS others,
     collect(DISTINCT topic) AS topics
WITH deal, parties, signatures, date, places, others, topics, signatures + others AS facts
RETURN date,
       deal.name AS agreement,
       replace(coalesce(deal.kind, ''), '_', ' ') AS kind,
       CASE WHEN any(s IN signatures WHERE type(s) = 'SIGNED') THEN 'signed'
            ELSE 'pledged' END AS commitment,
       [p IN parties | p.name] AS parties,
       [p IN places | p.name] AS signed_in,
       [t IN topics | t.name] AS about,
       CASE WHEN all(f IN facts WHERE f.basis = 'documented') THEN 'documented'
            ELSE 'background' END AS basis,
       reduce(all = [], l IN reduce(x = [], f IN facts | x + coalesce(f.locators, [])) |
         CASE WHEN l IN all THEN all ELSE all + l END) AS locators,
       [deal] + parties + places + topics + facts AS _graph
ORDER BY date, agreement
