// title: Organisations and pacts, by the power behind them
// description: >
//   The organisations, blocs and forums Kazakhstan belongs to, chairs or sits in, grouped
//   by the power that leads each (from LED_BY): Russia-led, led by Russia and China
//   together (as the 2020 source sees the SCO), China-led, Western, regional (led by
//   another state, or a regional body with no leading power in the graph) and multilateral
//   (the UN system, the OSCE and other global bodies with no leading power). Each row gives
//   Kazakhstan's role and period, the leader, and the basis of both the membership and the
//   leadership, since some of them (who leads the CSTO) are background knowledge rather
//   than something the sources state.
// tags: [organisations, security, multi-vector, russia, china]
// examples:
//   - params: {}
//     ordered: true
//     expect:
//       - {bloc: Russia-led, organisation: Collective Security Treaty Organization}
//       - {bloc: Russia-led, organisation: Eurasian Economic Union, led_by: Russia}
//       - {bloc: Russia- and China-led, organisation: Shanghai Cooperation Organization}
//       - {bloc: Western, organisation: C5+1}
//       - {bloc: regional, organisation: Turkic Council, led_by: Türkiye}
//       - {bloc: multilateral, organisation: United Nations}
//     absent:
//       - {bloc: Russia-led, organisation: Shanghai Cooperation Organization}
MATCH (kz:Entity {id: 'KAZ'})-[tie:MEMBER_OF|CHAIRS]->(org:Entity)
OPTIONAL MATCH (org)-[lead:LED_BY]->(leader:Entity)
WITH kz, tie, org, collect(lead) AS leads, collect(leader) AS leaders
WITH kz, tie, org, leads, leaders, [l IN leaders | l.id] AS ids
WITH kz, tie, org, leads, leaders,
     CASE
       WHEN 'RUS' IN ids AND 'CHN' IN ids THEN 'Russia- and China-led'
       WHEN 'RUS' IN ids THEN 'Russia-led'
       WHEN 'CHN' IN ids THEN 'China-led'
       WHEN any(id IN ids WHERE id IN ['USA', 'eu', 'the-west', 'GBR', 'DEU', 'FRA'])
         THEN 'Western'
       WHEN size(ids) > 0 THEN 'regional'
       WHEN org.kind IN ['international_organisation', 'un_body', 'country_group',
                         'security_organisation', 'peacekeeping_mission']
         OR EXISTS { (org)-[:PART_OF]->+(:Entity {id: 'un'}) } THEN 'multilateral'
       ELSE 'regional'
     END AS bloc
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
       [kz, tie, org] + leads + leaders AS _graph
ORDER BY CASE bloc WHEN 'Russia-led' THEN 1 WHEN 'Russia- and China-led' THEN 2
                   WHEN 'China-led' THEN 3 WHEN 'Western' THEN 4 WHEN 'regional' THEN 5
                   ELSE 6 END,
         organisation, tie
