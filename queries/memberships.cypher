// title: Organisations and pacts, by the power behind them
// description: >
//   The organisations, blocs and forums Kazakhstan belongs to, chairs or sits in, grouped
//   by the power that leads each (from LED_BY): a bloc is named for its leaders, the one
//   leading more of the country's bodies first (Russia-led; Russia- and China-led when a
//   source names both; United States-led), then regional bodies with no leading power
//   in the graph and multilateral ones (the UN system, the OSCE and other global bodies,
//   and bodies within them). Blocs with more of the country's memberships come first. Each row gives
//   Kazakhstan's role and period, the leader, and the basis of both the membership and the
//   leadership, since some of them (who leads the CSTO) are background knowledge rather
//   than something the sources state.
// params:
//   subject:
//     type: entity
//     default: Kazakhstan
//     description: the country whose memberships are listed (any id, name or alias)
// tags: [organisations, security, multi-vector, russia, china]
// examples:
//   - params: {}
//     ordered: true
//     expect:
//       - {bloc: Russia-led, organisation: Collective Security Treaty Organization}
//       - {bloc: Russia-led, organisation: Eurasian Economic Union, led_by: Russia}
//       - {bloc: United States-led, organisation: C5+1}
//       - {bloc: regional, organisation: Shanghai Cooperation Organization}
//       - {bloc: regional, organisation: Turkic Council}
//       - {bloc: multilateral, organisation: United Nations}
//     absent:
//       - {bloc: Russia-led, organisation: Shanghai Cooperation Organization}
WITH ['international_organisation', 'un_body', 'country_group', 'security_organisation',
      'peacekeeping_mission'] AS global_kinds
// (the kinds of body that are global, like the UN system and the OSCE, not regional)
MATCH (kz:Entity {id: $subject})-[tie:MEMBER_OF|CHAIRS]->(org:Entity)
OPTIONAL MATCH (org)-[lead:LED_BY]->(leader:Entity)
WITH global_kinds, kz, tie, org, collect(lead) AS leads, collect(leader) AS leaders
// the leaders, the one leading more of the country's bodies first
CALL (kz, org) {
  OPTIONAL MATCH (org)-[:LED_BY]->(leader:Entity)
  WITH leader, COUNT { (kz)-[:MEMBER_OF|CHAIRS]->(:Entity)-[:LED_BY]->(leader) } AS weight
  ORDER BY weight DESC, leader.name
  RETURN [n IN collect(leader.name) WHERE n IS NOT NULL] AS names
}
WITH kz, tie, org, leads, leaders,
     CASE
       WHEN size(names) > 0
         THEN reduce(t = '', i IN range(0, size(names) - 1) |
                t + names[i] + CASE WHEN i = size(names) - 1 THEN '-led'
                                    WHEN i = size(names) - 2 THEN '- and ' ELSE '-, ' END)
       WHEN org.kind IN global_kinds
         OR EXISTS { (org)-[:PART_OF]->{1,3}(up:Organisation) WHERE up.kind IN global_kinds }
         THEN 'multilateral'
       ELSE 'regional'
     END AS bloc
WITH collect({kz: kz, tie: tie, org: org, leads: leads, leaders: leaders, bloc: bloc}) AS rows
UNWIND rows AS row
WITH row.kz AS kz, row.tie AS tie, row.org AS org, row.leads AS leads, row.leaders AS leaders,
     row.bloc AS bloc, size([r IN rows WHERE r.bloc = row.bloc]) AS bloc_size
RETURN bloc,
       org.name AS organisation,
       type(tie) AS tie,
       tie.role AS role,
       coalesce(tie.since, tie.date, '') + CASE WHEN tie.until IS NULL THEN ''
         ELSE '–' + tie.until END AS period,
       [l IN leaders | l.name] AS led_by,
       [l IN leads | l.basis] AS leadership_basis,
       tie.basis AS membership_basis,
       reduce(all = [], l IN coalesce(tie.locators, []) +
                             reduce(x = [], r IN leads | x + coalesce(r.locators, [])) |
         CASE WHEN l IN all THEN all ELSE all + l END) AS locators,
       [kz, tie, org] + leads + leaders AS _graph,
       CASE bloc WHEN 'regional' THEN 2 WHEN 'multilateral' THEN 3 ELSE 1 END AS _group,
       bloc_size AS _size
ORDER BY _group, _size DESC, bloc, organisation, tie
