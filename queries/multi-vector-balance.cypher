// title: The multi-vector balance with the great powers
// description: >
//   Kazakhstan's relationships with the powers it balances (by default Russia, China, the
//   United States, the European Union and Türkiye; any comma-separated ids or names), counted by theme (trade and investment, security, diplomacy, institutions,
//   transport, positions, issues, sanctions). A relationship counts for a power when it
//   links Kazakhstan or its office holders with the power, its office holders, places or
//   firms, directly or through an agreement or event both sides take part in. Each row
//   gives the count, how many are documented and how many background, the relationship
//   types and the sources, so the balance can be read and checked.
// params:
//   powers:
//     type: string
//     default: Russia, China, United States, European Union, Türkiye
//     description: the powers to compare, comma-separated ids or names, in the order shown
//   subject:
//     type: entity
//     default: Kazakhstan
//     description: the country whose balance is read (any id, name or alias)
// tags: [multi-vector, russia, china, united-states, eu, turkiye, balance]
// examples:
//   - params: {}
//     expect:
//       - {power: Russia, theme: security}
//       - {power: China, theme: trade and investment}
//       - {power: Türkiye, theme: security}
//       - {power: United States, theme: diplomacy}
//       - {power: European Union, theme: trade and investment}
//   - params: {powers: "CHN, Turkey"}
//     ordered: true
//     expect:
//       - {power: China}
//       - {power: Türkiye}
//     absent:
//       - {power: Russia}
WITH [p IN split($powers, ',') WHERE trim(p) <> '' | trim(p)] AS wanted
UNWIND range(0, size(wanted) - 1) AS position
MATCH (kz:Entity {id: $subject})
// each power by its id, its name or any name it goes by (a look-up key, in lower case),
// each found through an index
CALL (wanted, position) {
  MATCH (power:Entity {id: wanted[position]})
  RETURN power
  UNION
  MATCH (power:Entity {name: wanted[position]})
  RETURN power
  UNION
  CALL db.index.fulltext.queryNodes('entity_lookup',
    '"' + replace(replace(toLower(wanted[position]), '\\', '\\\\'), '"', '\\"') + '"')
    YIELD node
  WITH node AS power
  WHERE power:Entity AND toLower(wanted[position]) IN power.lookup
  RETURN power
}
// each side: the state and its office holders; the power's places and firms too. They are
// found from the state, not by testing every entity in the graph
WITH position, power,
     [kz] + COLLECT { MATCH (x:Person)-[:HOLDS_OFFICE]->(kz) RETURN DISTINCT x } AS ours,
     [power] + COLLECT {
       MATCH (x:Entity)-[:HOLDS_OFFICE|LOCATED_IN|BASED_IN]->(power) RETURN DISTINCT x
     } AS theirs
CALL (ours, theirs) {
  // direct ties, read from our side (the smaller one)
  UNWIND ours AS a
  MATCH (a)-[r]-(b:Entity)
  WHERE b IN theirs
  RETURN r
  UNION
  MATCH (a:Entity)-[r]->(x:Agreement|Event)<-[:SIGNED|PLEDGED|PARTICIPATED_IN|HOSTED|LED_BY]-(b:Entity)
  WHERE a IN ours AND b IN theirs AND type(r) IN ['SIGNED', 'PLEDGED', 'PARTICIPATED_IN', 'HOSTED']
  RETURN r
  UNION
  MATCH (a:Entity)-[r:MEMBER_OF]->(org:Entity)-[:LED_BY]->(b:Entity)
  WHERE a IN ours AND b IN theirs
  RETURN r
  UNION
  MATCH (a:Entity)-[r:EXPOSED_TO|STANCE_ON]->(p:Programme)-[:TARGETS|IMPOSED]-(b:Entity)
  WHERE a IN ours AND b IN theirs
  RETURN r
  UNION
  MATCH (a:Entity)-[r:PARTY_TO]->(:Issue)<-[:PARTY_TO]-(b:Entity)
  WHERE a IN ours AND b IN theirs
  RETURN r
}
WITH position, power, r,
     CASE
       WHEN type(r) IN ['TRADES_WITH', 'INVESTS_IN', 'OPERATES_IN', 'BASED_IN']
         THEN 'trade and investment'
       WHEN type(r) IN ['SECURITY_TIE', 'DEPLOYED_TO'] THEN 'security'
       WHEN type(r) IN ['VISITED', 'MET', 'RELATIONS_WITH', 'SIGNED', 'PLEDGED', 'PARTICIPATED_IN',
                        'HOSTED', 'PROPOSED', 'COOPERATES_ON', 'REQUESTED', 'BID_FOR',
                        'NOMINATED_FOR'] THEN 'diplomacy'
       WHEN type(r) IN ['MEMBER_OF', 'CHAIRS', 'LED_BY', 'PART_OF'] THEN 'institutions'
       WHEN type(r) IN ['ROUTE_STEP', 'ROUTE_LEG', 'OPERATED_BY', 'BUILT_BY'] THEN 'transport'
       WHEN type(r) = 'STANCE_ON' AND endNode(r):Programme THEN 'sanctions'
       WHEN type(r) = 'STANCE_ON' THEN 'positions'
       WHEN type(r) IN ['PARTY_TO', 'ABOUT', 'MEDIATED'] THEN 'issues'
       WHEN type(r) IN ['EXPOSED_TO', 'IMPOSED', 'TARGETS'] THEN 'sanctions'
       ELSE 'other'
     END AS theme
WHERE NOT type(r) IN ['ROUTE_LEG', 'DOCUMENTED_IN', 'HOLDS_OFFICE', 'LOCATED_IN', 'BORDERS']
// types (and the sources, as first met) listed in a fixed order, whatever the read order
WITH position, power, theme, r
ORDER BY type(r), r.id
WITH position, power, theme, collect(DISTINCT r) AS rels
WITH position, power, theme, rels,
     reduce(all = [], r IN rels | all + [t IN [type(r)] WHERE NOT t IN all]) AS types,
     reduce(all = [], r IN rels | all + [s IN coalesce(r.sources, []) WHERE NOT s IN all])
       AS sources
RETURN power.name AS power,
       theme,
       size(rels) AS relationships,
       size([r IN rels WHERE r.basis = 'documented']) AS documented,
       size([r IN rels WHERE r.basis = 'background']) AS background,
       [t IN types | t + ' ' + size([r IN rels WHERE type(r) = t])] AS types,
       sources,
       [power] + rels AS _graph,
       position AS _order
ORDER BY _order, relationships DESC, theme
