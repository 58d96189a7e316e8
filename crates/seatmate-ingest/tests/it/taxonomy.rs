use seatmate_core::TaxonomyNode;
use seatmate_ingest::{taxonomy_csv, taxonomy_json, teams_csv};

use crate::{assert_err, ctx};

fn node(code: &str, parent: Option<&str>, zh: &str, en: &str, depth: i64, team: Option<&str>) -> TaxonomyNode {
    TaxonomyNode {
        code: code.into(),
        parent: parent.map(Into::into),
        name_zh: zh.into(),
        name_en: en.into(),
        depth,
        team: team.map(Into::into),
    }
}

#[test]
fn csv_of_paths_creates_ancestors() {
    let csv = "path,code,name_en,team\n\
               宽带/故障报修/无法上网,BB.F.NET,Broadband/Fault/No internet,NET\n\
               宽带,BB,Broadband,NET\n\
               宽带/故障报修/网速慢,,,\n\
               帳務/帳單查詢,,Billing/Bill enquiry,BILL\n";
    let t = taxonomy_csv(&ctx("tax.csv"), csv.as_bytes()).unwrap();
    assert!(t.external_parents.is_empty());
    assert_eq!(
        t.nodes,
        [
            node("BB", None, "宽带", "Broadband", 1, Some("NET")),
            node("宽带/故障报修", Some("BB"), "故障报修", "Fault", 2, None),
            node("BB.F.NET", Some("宽带/故障报修"), "无法上网", "No internet", 3, Some("NET")),
            node("宽带/故障报修/网速慢", Some("宽带/故障报修"), "网速慢", "", 3, None),
            node("帳務", None, "帳務", "Billing", 1, None),
            node("帳務/帳單查詢", Some("帳務"), "帳單查詢", "Bill enquiry", 2, Some("BILL")),
        ]
    );
}

#[test]
fn csv_of_paths_errors() {
    assert_err(
        taxonomy_csv(&ctx("t.csv"), "path,name_en\n宽带/故障,Broadband\n".as_bytes()),
        Some(2),
        Some("name_en"),
        "1 levels",
    );
    assert_err(taxonomy_csv(&ctx("t.csv"), "path\n宽带//故障\n".as_bytes()), Some(2), Some("path"), "empty level");
    assert_err(taxonomy_csv(&ctx("t.csv"), "path\n宽带\n移动\n宽带\n".as_bytes()), Some(4), Some("path"), "first on line 2");
    assert_err(taxonomy_csv(&ctx("t.csv"), "path,code\n宽带,X\n移动,X\n".as_bytes()), Some(3), Some("code"), "\"宽带\"");
    assert_err(taxonomy_csv(&ctx("t.csv"), "name,level\n宽带,1\n".as_bytes()), Some(1), None, "name, level");
}

#[test]
fn csv_of_nodes() {
    let csv = "code,parent,name_zh,name_en,team\n\
               BB,,宽带,Broadband,NET\n\
               BB.F,BB,故障报修,Fault,\n\
               BB,,宽带,Broadband,NET\n\
               MOB.5G,MOB,5G 套餐,5G plans,\n\
               MOB.5G.UP,MOB.5G,升級,Upgrade,\n\
               BILL.Q,BILL,帳單查詢,,BILL\n\
               MOB.4G,MOB,4G 套餐,,\n";
    let t = taxonomy_csv(&ctx("t.csv"), csv.as_bytes()).unwrap();
    assert_eq!(t.nodes.len(), 6, "the repeated BB is kept once");
    assert_eq!(t.nodes[0], node("BB", None, "宽带", "Broadband", 1, Some("NET")));
    assert_eq!(t.nodes[1], node("BB.F", Some("BB"), "故障报修", "Fault", 2, None));
    assert_eq!(t.nodes[2].depth, 0, "under an external parent, the depth is the store's to set");
    assert_eq!(t.nodes[3].depth, 0);
    assert_eq!(t.external_parents, [("MOB".to_string(), 5), ("BILL".to_string(), 7)]);
}

#[test]
fn csv_of_nodes_errors() {
    let later = "code,parent,name_zh\nBB.F,BB,故障\nBB,,宽带\n";
    assert_err(taxonomy_csv(&ctx("t.csv"), later.as_bytes()), Some(2), Some("parent"), "defined later, on line 3");
    let conflict = "code,parent,name_zh\nBB,,宽带\nBB,,寬頻\n";
    assert_err(taxonomy_csv(&ctx("t.csv"), conflict.as_bytes()), Some(3), Some("code"), "line 2");
    let own = "code,parent,name_zh\nBB,BB,宽带\n";
    assert_err(taxonomy_csv(&ctx("t.csv"), own.as_bytes()), Some(2), Some("parent"), "own parent");
    let no_name = "code,parent,name_zh\nBB,,\n";
    assert_err(taxonomy_csv(&ctx("t.csv"), no_name.as_bytes()), Some(2), Some("name_zh"), "empty");
}

#[test]
fn json_tree() {
    let json = r#"[{"code":"BB","name_zh":"宽带","name_en":"Broadband","team":"NET","children":[
        {"code":"BB.F","name_zh":"故障报修","children":[{"code":"BB.F.NET","name_zh":"无法上网"}]},
        {"code":"BB.M","name_zh":"移机"}]},
      {"code":"BILL","name_zh":"帳務"}]"#;
    let t = taxonomy_json(&ctx("t.json"), json.as_bytes()).unwrap();
    let codes: Vec<(&str, Option<&str>, i64)> = t.nodes.iter().map(|n| (n.code.as_str(), n.parent.as_deref(), n.depth)).collect();
    assert_eq!(
        codes,
        [("BB", None, 1), ("BB.F", Some("BB"), 2), ("BB.F.NET", Some("BB.F"), 3), ("BB.M", Some("BB"), 2), ("BILL", None, 1)]
    );
    assert_eq!(t.nodes[0].team.as_deref(), Some("NET"));

    let missing = "[{\"code\":\"BB\",\"name_zh\":\"宽带\",\"children\":[\n{\"code\":\"BB.F\"}]}]";
    assert_err(taxonomy_json(&ctx("t.json"), missing.as_bytes()), Some(2), Some("[0].children[0]"), "missing field `name_zh`");
    let dup = r#"[{"code":"BB","name_zh":"宽带","children":[{"code":"BB","name_zh":"故障"}]}]"#;
    assert_err(taxonomy_json(&ctx("t.json"), dup.as_bytes()), None, Some("[0].children[0].code"), "already used at [0]");
}

#[test]
fn teams() {
    let csv = "code,name_zh,name_en,dispatch\nNET,网络维护组,Network,true\nCC1,客服一组,,FALSE\n";
    let teams = teams_csv(&ctx("teams.csv"), csv.as_bytes()).unwrap();
    assert_eq!(teams.len(), 2);
    assert!(teams[0].dispatch && !teams[1].dispatch);
    assert_eq!((teams[1].name_zh.as_str(), teams[1].name_en.as_str()), ("客服一组", ""));
    assert_err(
        teams_csv(&ctx("teams.csv"), "code,name_zh,dispatch\nNET,网络,yes\n".as_bytes()),
        Some(2),
        Some("dispatch"),
        "`true` or `false`",
    );
    assert_err(
        teams_csv(&ctx("teams.csv"), "code,name_zh,dispatch\nNET,网络,true\nNET,網路,false\n".as_bytes()),
        Some(3),
        Some("code"),
        "twice",
    );
    assert_err(teams_csv(&ctx("teams.csv"), "code,name\nNET,网络\n".as_bytes()), Some(1), Some("name_zh"), "code, name");
}
