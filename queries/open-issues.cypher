// title: Open disputes and issues, by counterpart
// description: >
//   Disputes and open problems Kazakhstan is party to, one row per counterpart (the other
//   parties, or what the issue is about when Kazakhstan is the only party), with the
//   latest status the sources give and how it moved over time (status as of each dated
//   fact), what the issue concerns, and the basis and sentences behind it. Resolved issues
//   are left out unless asked for.
// params:
//   include_resolved:
//     type: bool
//     default: false
//     description: also list issues whose latest status is resolved
//   subject:
//     type: entity
//     default: Kazakhstan
//     description: the country whose disputes are listed (any id, name or alias)
// tags: [issues, disputes, china, russia, neighbours]
// examples:
//   - params: {include_resolved: "false"}
//     expect:
//       - {counterpart: Russia, issue: Disrupted Kazakh exports via Russia, status: open}
//       - {counterpart: Kyrgyzstan, issue: Transit delays on the Kazakh–Kyrgyz border}
//       - {counterpart: China, issue: Hold-ups of Kazakh goods at the Chinese border}
//     absent:
//       - {status: resolved}
MATCH (kz:Entity {id: $subject})-[own:PARTY_TO]->(issue:Issue)
// when a status held: its own date, else the date of the latest source that reports it
WITH kz, issue, own,
     coalesce(own.date, own.since,
              reduce(last = '', d IN coalesce(own.source_dates, []) |
                CASE WHEN d > last THEN d ELSE last END)) AS held
ORDER BY held
WITH kz, issue, collect(own) AS own_facts, collect(held) AS helds
WITH kz, issue, own_facts, last(own_facts) AS latest, last(helds) AS latest_held,
     reduce(history = [], i IN range(0, size(own_facts) - 1) |
       CASE WHEN size(history) > 0 AND last(history) STARTS WITH own_facts[i].status + ' '
            THEN history ELSE history + (own_facts[i].status + ' (' + helds[i] + ')') END)
       AS history
WHERE $include_resolved OR latest.status <> 'resolved'
OPTIONAL MATCH (issue)<-[party:PARTY_TO]-(other:Entity) WHERE other <> kz
OPTIONAL MATCH (issue)-[about:ABOUT]->(topic:Entity)
WITH kz, issue, own_facts, latest, latest_held, history,
     collect(DISTINCT party) AS parties, collect(DISTINCT other) AS others,
     collect(DISTINCT about) AS abouts, collect(DISTINCT topic) AS topics
UNWIND CASE WHEN size(others) > 0 THEN others
            ELSE [t IN topics WHERE t:Country OR t:Organisation] + [null] END AS counterpart
WITH kz, issue, own_facts, latest, latest_held, history, abouts, topics, counterpart,
     [f IN parties WHERE startNode(f) = counterpart] AS theirs, size(others) AS party_count
// the [null] row stands for "no counterpart" and is kept only when nobody else is named
WITH * WHERE counterpart IS NOT NULL OR (party_count = 0 AND
             size([t IN topics WHERE t:Country OR t:Organisation]) = 0)
WITH *, own_facts + theirs + abouts AS facts
RETURN coalesce(counterpart.name, '(none named)') AS counterpart,
       issue.name AS issue,
       replace(coalesce(issue.kind, ''), '_', ' ') AS kind,
       latest.status AS status,
       latest_held AS as_of,
       history,
       [f IN theirs | f.status] AS counterpart_status,
       [t IN topics | t.name] AS about,
       CASE WHEN all(f IN facts WHERE f.basis = 'documented') THEN 'documented'
            ELSE 'background' END AS basis,
       reduce(all = [], l IN reduce(x = [], f IN facts | x + coalesce(f.locators, [])) |
         CASE WHEN l IN all THEN all ELSE all + l END) AS locators,
       [kz, issue, counterpart] + facts + topics AS _graph
ORDER BY counterpart, issue
