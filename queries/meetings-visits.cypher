// title: Meetings and visits
// description: >
//   Who met or visited whom, where and when, one row per occurrence: each visit, meeting,
//   round of talks or summit is one event whose participants are listed once each, with the
//   place it was held in, its date (the event's own, else the earliest date a participant's
//   part carries), what it was for and the sources and sentences behind it. Only occurrences
//   in which the party (by default Kazakhstan, with its office holders) took part, or that
//   were held in it, are listed; meetings and visits the graph still keeps as direct ties
//   are listed too, one row each, unless an event already tells them (the same sentence, or
//   the same person at the same time). Oldest first; undated ones last.
// params:
//   party:
//     type: entity
//     default: Kazakhstan
//     description: whose meetings and visits (any id, name or alias)
// tags: [diplomacy, visits, meetings, events, timeline]
// examples:
//   - params: {}
//     expect:
//       - {date: 2019-04, participants: "Kassym-Jomart Tokayev, Vladimir Putin"}
//       - {date: 2022-06, occasion: "Tokayev's visit to Iran, June 2022"}
//   - params: {party: China}
//     expect:
//       - {date: 2022-06}
//     absent:
//       - {participants: "Kassym-Jomart Tokayev, Vladimir Putin"}
MATCH (party:Entity {id: $party})
// the party and its office holders, found from the party
WITH party, [party] + COLLECT { MATCH (x:Person)-[:HOLDS_OFFICE]->(party) RETURN DISTINCT x }
  AS side
CALL (party, side) {
  // an event: one row, every participant once
  MATCH (event:Event)
  WHERE coalesce(event.kind, '') =~ '(?i).*(visit|meeting|talks|summit|dialogue|negotiation).*'
    AND (EXISTS { (event)<-[:PARTICIPATED_IN|HOSTED]-(p:Entity) WHERE p IN side }
         OR EXISTS { (event)-[:HELD_IN]->(:Entity)-[:LOCATED_IN]->{0,2}(party) })
  CALL (event) {
    OPTIONAL MATCH (who:Entity)-[took:PARTICIPATED_IN|HOSTED]->(event)
    WITH who, took ORDER BY who.name
    RETURN collect(DISTINCT who) AS people, collect(DISTINCT took) AS parts
  }
  OPTIONAL MATCH (event)-[held:HELD_IN]->(place:Entity)
  WITH event, people, parts, collect(DISTINCT place) AS places, collect(DISTINCT held) AS helds
  WITH event, people, parts, places, helds,
       [t IN parts WHERE t.date IS NOT NULL | t.date] AS dates
  RETURN coalesce(event.date, reduce(first = head(dates), d IN dates |
                    CASE WHEN d < first THEN d ELSE first END)) AS date,
         replace(coalesce(event.kind, 'event'), '_', ' ') AS what,
         event.name AS occasion,
         [p IN people | p.name] AS participants,
         [p IN places | p.name] AS place,
         coalesce(event.purpose, event.description,
                  head([t IN parts WHERE t.purpose IS NOT NULL | t.purpose])) AS about,
         parts + helds AS facts
  UNION
  // a visit still kept as a direct tie
  MATCH (who:Entity)-[visit:VISITED]->(place:Entity)
  WHERE (who IN side OR EXISTS { (place)-[:LOCATED_IN]->{0,2}(party) } OR place = party)
    // not when an event already tells it (same sentence, or same person and time)
    AND NOT EXISTS {
      MATCH (who)-[took:PARTICIPATED_IN|HOSTED]->(e:Event)
      WHERE coalesce(e.kind, '') =~ '(?i).*(visit|meeting|talks|summit|dialogue|negotiation).*'
        AND (any(l IN coalesce(took.locators, []) WHERE l IN visit.locators)
             OR left(coalesce(e.date, took.date, '-'), size(coalesce(visit.date, '')))
                = left(coalesce(visit.date, '+'), size(coalesce(e.date, took.date, ''))))
    }
  RETURN visit.date AS date, 'visit' AS what, null AS occasion,
         [who.name] AS participants, [place.name] AS place,
         coalesce(visit.purpose, visit.description) AS about,
         [visit] AS facts
  UNION
  // a meeting still kept as a direct tie
  MATCH (one:Entity)-[met:MET]->(other:Entity)
  WHERE (one IN side OR other IN side)
    AND NOT EXISTS {
      MATCH (who:Entity)-[took:PARTICIPATED_IN|HOSTED]->(e:Event)
      WHERE who IN [one, other]
        AND coalesce(e.kind, '') =~ '(?i).*(visit|meeting|talks|summit|dialogue|negotiation).*'
        AND (any(l IN coalesce(took.locators, []) WHERE l IN met.locators)
             OR left(coalesce(e.date, took.date, '-'), size(coalesce(met.date, '')))
                = left(coalesce(met.date, '+'), size(coalesce(e.date, took.date, ''))))
    }
  RETURN met.date AS date, 'meeting' AS what, null AS occasion,
         [one.name, other.name] AS participants, [] AS place,
         coalesce(met.purpose, met.description) AS about,
         [met] AS facts
}
RETURN date, what, occasion,
       reduce(t = '', n IN participants | t + CASE t WHEN '' THEN '' ELSE ', ' END + n)
         AS participants,
       place, about,
       reduce(u = [], f IN facts | u + [s IN coalesce(f.sources, []) WHERE NOT s IN u])
         AS sources,
       CASE WHEN all(f IN facts WHERE f.basis = 'documented') THEN 'documented'
            ELSE 'background' END AS basis,
       reduce(u = [], l IN reduce(v = [], f IN facts | v + coalesce(f.locators, [])) |
         CASE WHEN l IN u THEN u ELSE u + l END) AS locators,
       // the facts with their ends, so that Neo4j Browser draws them
       [f IN facts | startNode(f)] + [f IN facts | endNode(f)] + facts AS _graph,
       date IS NULL AS _undated
ORDER BY _undated, date, what, participants, occasion
