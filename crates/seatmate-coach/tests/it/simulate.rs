//! The simulated customer on small dialogues written here (Chinese with acts and goals, English
//! text with feelings).

use std::collections::HashSet;

use seatmate_coach::simulate::{
    Act, Config, Corpus, Goal, GoalItem, MoodLevel, SimDialogue, SimTurn, Simulator, Speaker, TraineeTurn,
};

fn act(spec: &str) -> Act {
    let p: Vec<&str> = spec.split('|').collect();
    Act::new(p[0], p[1], p[2], p.get(3).copied().unwrap_or(""))
}

fn turn(speaker: Speaker, text: &str, acts: &[&str]) -> SimTurn {
    SimTurn { speaker, text: text.into(), acts: acts.iter().map(|a| act(a)).collect(), valence: None }
}

fn item(group: u32, domain: &str, slot: &str, value: &str) -> GoalItem {
    let values = if value.is_empty() { vec![] } else { vec![value.to_string()] };
    GoalItem { group, domain: domain.into(), slot: slot.into(), values, refers_to: None }
}

/// A restaurant, then a hotel: price constraint and name for each, the restaurant's address.
fn trip(id: &str, food: &str, restaurant: &str, price: &str, hotel: &str) -> SimDialogue {
    use Speaker::{Agent as A, Customer as C};
    let goal = Goal {
        items: vec![
            item(1, "餐馆", "人均消费", food),
            item(1, "餐馆", "名称", ""),
            item(1, "餐馆", "地址", ""),
            item(2, "酒店", "价格", price),
            item(2, "酒店", "名称", ""),
        ],
    };
    let turns = vec![
        turn(
            C,
            &format!("你好，帮我找一家人均消费{food}的餐馆吧。"),
            &["General|greet|none|none", &format!("Inform|餐馆|人均消费|{food}"), "Request|餐馆|名称|"],
        ),
        turn(A, &format!("推荐您去{restaurant}。"), &[&format!("Inform|餐馆|名称|{restaurant}")]),
        turn(C, "这家餐馆的地址在哪里？", &["Request|餐馆|地址|"]),
        turn(A, "地址在东城区。", &["Inform|餐馆|地址|东城区"]),
        turn(
            C,
            &format!("好的，我还想找一家价格在{price}的酒店。"),
            &[&format!("Inform|酒店|价格|{price}"), "Request|酒店|名称|"],
        ),
        turn(A, &format!("推荐您住{hotel}。"), &[&format!("Inform|酒店|名称|{hotel}")]),
        turn(C, "太好了，谢谢！", &["General|thank|none|none"]),
        turn(A, "不客气。", &["General|welcome|none|none"]),
    ];
    SimDialogue { id: id.into(), intent: Some("餐馆".into()), goal: Some(goal), turns }
}

fn chinese() -> Simulator {
    let corpus = vec![
        trip("d1", "100-150元", "全聚德", "200-300元", "北京饭店"),
        trip("d2", "50-100元", "东来顺", "400-500元", "如家酒店"),
        trip("d3", "150-200元", "便宜坊", "300-400元", "汉庭酒店"),
    ];
    Simulator::new(Corpus::new(corpus), Config::default()).expect("simulator")
}

fn trainee(text: &str, acts: &[&str]) -> TraineeTurn {
    TraineeTurn { text: text.into(), acts: Some(acts.iter().map(|a| act(a)).collect()), empathy: false, answered: true }
}

#[test]
fn the_session_opens_with_the_cases_own_customer_turns() {
    let sim = chinese();
    let case = trip("case", "80-120元", "老北京炸酱面", "600-800元", "王府饭店");
    let session = sim.session(&case);
    let opening: Vec<&str> = session.opening().iter().map(|t| t.text.as_str()).collect();
    assert_eq!(opening, vec!["你好，帮我找一家人均消费80-120元的餐馆吧。"]);
}

#[test]
fn a_reply_from_another_dialogue_carries_the_cases_own_values() {
    let sim = chinese();
    let case = trip("case", "80-120元", "老北京炸酱面", "600-800元", "王府饭店");
    let mut session = sim.session(&case);
    let first = session.reply(&trainee("推荐您去老北京炸酱面。", &["Inform|餐馆|名称|老北京炸酱面"])).expect("a reply");
    assert_eq!(first.acts, vec![act("Request|餐馆|地址|")], "{first:?}");
    let second = session.reply(&trainee("地址在西城区。", &["Inform|餐馆|地址|西城区"])).expect("a reply");
    assert_ne!(second.source.0, "case");
    assert!(second.text.contains("600-800元"), "{}", second.text);
    assert!(second.acts.contains(&act("Inform|酒店|价格|600-800元")), "{:?}", second.acts);
    assert!(!["200-300元", "400-500元", "300-400元"].iter().any(|v| second.text.contains(v)), "{}", second.text);
}

#[test]
fn no_turn_is_used_twice_and_the_session_ends_with_the_goal() {
    let sim = chinese();
    let case = trip("case", "80-120元", "老北京炸酱面", "600-800元", "王府饭店");
    let mut session = sim.session(&case);
    let agent = [
        ("推荐您去老北京炸酱面。", "Inform|餐馆|名称|老北京炸酱面"),
        ("地址在西城区。", "Inform|餐馆|地址|西城区"),
        ("推荐您住王府饭店。", "Inform|酒店|名称|王府饭店"),
        ("还有别的吗？", "General|reqmore|none|none"),
        ("还有别的吗？", "General|reqmore|none|none"),
    ];
    let mut sources = HashSet::new();
    let mut replies = Vec::new();
    for (text, a) in agent {
        let Some(reply) = session.reply(&trainee(text, &[a])) else { break };
        assert!(sources.insert(reply.source.clone()), "{:?} used twice", reply.source);
        replies.push(reply);
    }
    let last = replies.last().expect("replies");
    assert_eq!(last.acts, vec![act("General|thank|none|none")]);
    assert!(last.ends && session.ended());
    assert_eq!(replies.len(), 3);
    assert!(session.reply(&trainee("您好？", &[])).is_none());
}

/// English support dialogues without acts: after the same agent turn, one customer turn is angry
/// and one calm.
fn english() -> Simulator {
    use Speaker::{Agent as A, Customer as C};
    let felt = |text: &str, valence: f32| SimTurn { speaker: C, text: text.into(), acts: vec![], valence: Some(valence) };
    let dialogue = |id: &str, reply: SimTurn| SimDialogue {
        id: id.into(),
        intent: Some("broadband".into()),
        goal: None,
        turns: vec![
            felt("My broadband has been down since this morning.", -0.3),
            turn(A, "Please restart your router and wait a few minutes.", &[]),
            reply,
        ],
    };
    let corpus = vec![
        dialogue("angry", felt("I have restarted it five times already, this is ridiculous, fix it now!", -0.9)),
        dialogue("calm", felt("Thanks, I restarted it and it is working again.", 0.7)),
    ];
    Simulator::new(Corpus::new(corpus), Config::default()).expect("simulator")
}

fn case_en() -> SimDialogue {
    SimDialogue {
        id: "case".into(),
        intent: Some("broadband".into()),
        goal: None,
        turns: vec![SimTurn {
            speaker: Speaker::Customer,
            text: "The internet is down at home.".into(),
            acts: vec![],
            valence: Some(-0.2),
        }],
    }
}

#[test]
fn mood_rises_when_the_problem_is_ignored_and_falls_with_empathy_and_an_answer() {
    let sim = english();
    let start = sim.session(&case_en()).mood();
    assert_eq!(start.level, MoodLevel::Neutral);

    let mut ignored = sim.session(&case_en());
    let turn = TraineeTurn { text: "Is there anything else?".into(), acts: None, empathy: false, answered: false };
    let reply = ignored.reply(&turn).expect("a reply");
    assert!(reply.mood.anger > start.anger);
    assert!(ignored.mood().level >= MoodLevel::Upset);

    let mut helped = sim.session(&case_en());
    let turn = TraineeTurn {
        text: "I'm sorry about that. Please restart your router.".into(),
        acts: None,
        empathy: true,
        answered: true,
    };
    let reply = helped.reply(&turn).expect("a reply");
    assert!(reply.mood.anger < start.anger);
    assert_eq!(helped.mood().level, MoodLevel::Calm);
}

#[test]
fn the_customers_words_follow_the_mood() {
    let sim = english();
    let said = |empathy: bool, answered: bool| {
        let mut session = sim.session(&case_en());
        let turn =
            TraineeTurn { text: "Please restart your router and wait a few minutes.".into(), acts: None, empathy, answered };
        session.reply(&turn).expect("a reply").source.0
    };
    assert_eq!(said(false, false), "angry");
    assert_eq!(said(true, true), "calm");
}

#[test]
fn an_agent_text_without_acts_is_read_from_similar_agent_turns() {
    let sim = chinese();
    let case = trip("case", "80-120元", "老北京炸酱面", "600-800元", "王府饭店");
    let mut session = sim.session(&case);
    let turn = TraineeTurn { text: "推荐您去老北京炸酱面。".into(), acts: None, empathy: false, answered: true };
    let reply = session.reply(&turn).expect("a reply");
    assert_eq!(reply.acts, vec![act("Request|餐馆|地址|")]);
    let agent = &session.history()[1];
    assert!(agent.acts.contains(&act("Inform|餐馆|名称|老北京炸酱面")), "{:?}", agent.acts);
}
