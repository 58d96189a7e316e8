//! Guided flows walked in a conversation: the steps its turns show done already, the option the
//! customer's answer picks at a question, and the checks a walk's save must pass.
//!
//! Pure functions of a flow and a conversation's turns; [`crate::Assist`] reads and saves walks.

use seatmate_core::{Conversation, FlowStep, FlowStepKind, FlowWalk, GuidedFlow, Speaker, WalkedStep};
use serde::Serialize;

/// Phrases that show an action done, per common action code (ABCD's and a contact centre's),
/// for steps that name no cues of their own. Compared folded (Simplified, lower case).
const ACTION_CUES: &[(&str, &[&str])] = &[
    (
        "verify-identity",
        &[
            "身份证后",
            "后六位",
            "后四位",
            "服务密码",
            "核实身份",
            "验证身份",
            "核实一下您的身份",
            "核实您的身份",
            "verify your identity",
            "verify the identity",
            "your full name",
            "date of birth",
            "last four digits",
            "zip code",
        ],
    ),
    (
        "pull-up-account",
        &[
            "查到您的账户",
            "查到您的账号",
            "调出您的",
            "帮您查一下账户",
            "pull up your account",
            "pulled up your account",
            "your account id",
        ],
    ),
    ("validate-purchase", &["核实订单", "订单号", "order id", "order number", "validate the purchase"]),
    ("offer-refund", &["为您退款", "给您退款", "退还", "办理退款", "refund"]),
    ("record-reason", &["记录原因", "登记原因", "reason for"]),
    ("notify-team", &["通知相关部门", "转给", "派单", "notify the team", "escalate"]),
    ("update-order", &["修改订单", "更新订单", "update the order", "update your order"]),
    ("update-account", &["修改资料", "更新资料", "update your account"]),
    ("make-password", &["重置密码", "新密码", "reset your password", "new password"]),
    ("send-link", &["发送链接", "短信链接", "send you a link", "sent you a link"]),
    ("shipping-status", &["物流", "快递", "shipping status", "tracking"]),
];

/// A step the conversation shows done: its first turn that says one of the step's cues.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecognisedStep {
    pub step: String,
    pub turn: usize,
    /// The cue as the flow or the action list writes it.
    pub cue: String,
}

/// The option of an `ask` step that the customer's answer picks.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecognisedAnswer {
    pub step: String,
    /// The option's index in the step.
    pub option: usize,
    pub turn: usize,
    /// The customer's words that chose it.
    pub words: Vec<String>,
}

fn fold(text: &str) -> String {
    seatmate_text::normalize(text)
}

/// What shows a step done: its own cues, else those of its action.
fn step_cues(step: &FlowStep) -> Vec<&str> {
    if !step.cues.is_empty() {
        return step.cues.iter().map(String::as_str).filter(|c| !c.trim().is_empty()).collect();
    }
    let action = step.action.as_deref().unwrap_or_default();
    ACTION_CUES.iter().find(|(code, _)| *code == action).map(|(_, cues)| cues.to_vec()).unwrap_or_default()
}

/// The `say` and `action` steps the turns (up to `upto`, inclusive) show done, each at the first
/// turn that says one of its cues.
pub fn recognise_steps(flow: &GuidedFlow, conversation: &Conversation, upto: Option<usize>) -> Vec<RecognisedStep> {
    let end = upto.map_or(conversation.turns.len(), |u| u.saturating_add(1).min(conversation.turns.len()));
    let turns: Vec<String> = conversation.turns[..end].iter().map(|t| fold(&t.text)).collect();
    let mut out = Vec::new();
    for step in flow.steps.iter().filter(|s| matches!(s.kind, FlowStepKind::Say | FlowStepKind::Action)) {
        let cues = step_cues(step);
        let found = turns.iter().enumerate().find_map(|(i, text)| {
            cues.iter().find(|cue| text.contains(&fold(cue))).map(|cue| RecognisedStep {
                step: step.id.clone(),
                turn: i,
                cue: cue.to_string(),
            })
        });
        out.extend(found);
    }
    out
}

/// The words that choose an option: its cues and its label's content words.
fn option_words(label: &str, cues: &[String]) -> Vec<String> {
    let mut words: Vec<String> = cues.iter().map(|c| fold(c)).filter(|c| !c.trim().is_empty()).collect();
    for token in seatmate_text::tokens(&fold(label)) {
        if seatmate_text::is_content_word(&token.text) && !words.contains(&token.text) {
            words.push(token.text);
        }
    }
    words
}

/// The option of the `ask` step `step_id` that the customer's latest answer (a customer turn
/// after `after`, up to `upto`) picks: the latest such turn whose words choose exactly one option
/// more than any other.
pub fn recognise_answer(
    flow: &GuidedFlow,
    step_id: &str,
    conversation: &Conversation,
    after: Option<usize>,
    upto: Option<usize>,
) -> Option<RecognisedAnswer> {
    let step = flow.steps.iter().find(|s| s.id == step_id && s.kind == FlowStepKind::Ask)?;
    let options: Vec<Vec<String>> = step.options.iter().map(|o| option_words(&o.label, &o.cues)).collect();
    let end = upto.map_or(conversation.turns.len(), |u| u.saturating_add(1).min(conversation.turns.len()));
    let start = after.map_or(0, |a| a.saturating_add(1));
    (start..end).rev().filter(|&i| conversation.turns[i].speaker == Speaker::Customer).find_map(|i| {
        let text = fold(&conversation.turns[i].text);
        let said: Vec<Vec<String>> =
            options.iter().map(|words| words.iter().filter(|w| text.contains(w.as_str())).cloned().collect()).collect();
        let best = said.iter().map(Vec::len).max().unwrap_or(0);
        let winners: Vec<usize> = (0..said.len()).filter(|&o| best > 0 && said[o].len() == best).collect();
        match winners[..] {
            [option] => Some(RecognisedAnswer { step: step.id.clone(), option, turn: i, words: said[option].clone() }),
            _ => None,
        }
    })
}

/// Checks that a walk follows the flow: it starts at the start step, each step leads to the next
/// (its `next`, or the chosen option's), options and actions belong to their steps, and only the
/// last step may be an end. `Err` says what is wrong.
pub fn check_walk(flow: &GuidedFlow, steps: &[WalkedStep]) -> Result<(), String> {
    let Some(first) = steps.first() else {
        return Err("a walk has at least its start step".into());
    };
    if first.step != flow.start {
        return Err(format!("a walk begins at the start step {:?}, not {:?}", flow.start, first.step));
    }
    for (i, walked) in steps.iter().enumerate() {
        let step = flow
            .steps
            .iter()
            .find(|s| s.id == walked.step)
            .ok_or_else(|| format!("step {:?} is not in the flow", walked.step))?;
        if let Some(option) = walked.option {
            if option >= step.options.len() {
                return Err(format!("step {:?} has no option {option}", step.id));
            }
        }
        if walked.action.is_some() && walked.action != step.action {
            return Err(format!("step {:?} does not perform {:?}", step.id, walked.action.as_deref().unwrap_or_default()));
        }
        let Some(next) = steps.get(i + 1) else { break };
        let leads_to = match (step.kind, walked.option) {
            (FlowStepKind::Ask, Some(option)) => Some(step.options[option].next.as_str()),
            (FlowStepKind::Ask, None) => {
                return Err(format!("step {:?} is a question: choose an option before going on", step.id))
            }
            (FlowStepKind::End, _) => return Err(format!("step {:?} ends the flow", step.id)),
            _ => step.next.as_deref(),
        };
        if leads_to != Some(next.step.as_str()) {
            return Err(format!("step {:?} does not lead to {:?}", step.id, next.step));
        }
    }
    Ok(())
}

/// Whether a walk reached an end step.
pub fn walk_finished(flow: &GuidedFlow, walk: &FlowWalk) -> bool {
    walk.steps.last().and_then(|w| flow.steps.iter().find(|s| s.id == w.step)).is_some_and(|s| s.kind == FlowStepKind::End)
}

#[cfg(test)]
mod tests {
    use seatmate_core::{Channel, FlowOption, Turn};

    use super::*;

    fn step(id: &str, kind: FlowStepKind, text: &str, next: Option<&str>) -> FlowStep {
        FlowStep {
            id: id.into(),
            kind,
            text: text.into(),
            options: Vec::new(),
            next: next.map(str::to_string),
            action: None,
            cues: Vec::new(),
        }
    }

    fn flow() -> GuidedFlow {
        let mut verify = step("s1", FlowStepKind::Action, "核实身份", Some("s2"));
        verify.action = Some("verify-identity".into());
        let mut ask = step("s2", FlowStepKind::Ask, "光猫 LOS 灯是否红灯闪烁？", None);
        ask.options = vec![
            FlowOption { label: "红灯闪烁".into(), next: "s3".into(), cues: vec!["红灯".into(), "红色".into()] },
            FlowOption { label: "正常不亮".into(), next: "s4".into(), cues: vec!["不亮".into(), "没亮".into()] },
        ];
        let mut dispatch = step("s3", FlowStepKind::Action, "登记光路故障工单", Some("s4"));
        dispatch.action = Some("notify-team".into());
        dispatch.cues = vec!["登记了光路故障".into()];
        GuidedFlow {
            description: String::new(),
            start: "s1".into(),
            steps: vec![verify, ask, dispatch, step("s4", FlowStepKind::End, "告知上门时间", None)],
            required: vec!["verify-identity".into(), "notify-team".into()],
        }
    }

    fn conversation(turns: &[(Speaker, &str)]) -> Conversation {
        Conversation {
            id: "c1".into(),
            external_id: "c1".into(),
            source: "test".into(),
            channel: Channel::Voice,
            queue: None,
            agent: None,
            customer_id: None,
            language: None,
            started_at: 0,
            ended_at: None,
            audio_ref: None,
            attributes: Default::default(),
            turns: turns
                .iter()
                .map(|(speaker, text)| Turn {
                    speaker: *speaker,
                    text: text.to_string(),
                    start_ms: None,
                    end_ms: None,
                    audio_ref: None,
                })
                .collect(),
        }
    }

    #[test]
    fn steps_are_recognised_from_their_cues_or_their_action_in_either_script() {
        let c = conversation(&[
            (Speaker::Customer, "我家寬帶上不了網"),
            (Speaker::Agent, "好的，请您提供身份證後六位"),
            (Speaker::Customer, "123456"),
            (Speaker::Agent, "已经为您登记了光路故障工单"),
        ]);
        let found = recognise_steps(&flow(), &c, None);
        assert_eq!(found.iter().map(|r| (r.step.as_str(), r.turn)).collect::<Vec<_>>(), vec![("s1", 1), ("s3", 3)]);
        assert!(recognise_steps(&flow(), &c, Some(0)).is_empty(), "nothing said yet up to turn 0");
        assert_eq!(recognise_steps(&flow(), &c, Some(usize::MAX)).len(), 2, "any turn index is read as the end");
    }

    #[test]
    fn the_customers_answer_picks_one_option_or_none() {
        let c = conversation(&[
            (Speaker::Agent, "光猫 LOS 灯什么颜色？"),
            (Speaker::Customer, "是红色的，一闪一闪"),
            (Speaker::Agent, "好"),
        ]);
        let answer = recognise_answer(&flow(), "s2", &c, Some(0), None).unwrap();
        assert_eq!((answer.option, answer.turn, answer.words), (0, 1, vec!["红色".to_string()]));
        let unsure = conversation(&[(Speaker::Customer, "红灯好像不亮，我也说不清")]);
        assert_eq!(recognise_answer(&flow(), "s2", &unsure, None, None), None, "a tie picks nothing");
        assert_eq!(recognise_answer(&flow(), "s1", &c, None, None), None, "s1 is not a question");
        assert_eq!(recognise_answer(&flow(), "s2", &c, Some(usize::MAX), Some(usize::MAX)), None);
    }

    #[test]
    fn a_walk_must_follow_the_flows_arrows() {
        let walked = |steps: &[(&str, Option<usize>)]| -> Vec<WalkedStep> {
            steps.iter().map(|(s, o)| WalkedStep { step: s.to_string(), option: *o, action: None, turn: None }).collect()
        };
        assert_eq!(check_walk(&flow(), &walked(&[("s1", None), ("s2", Some(0)), ("s3", None), ("s4", None)])), Ok(()));
        assert!(check_walk(&flow(), &walked(&[("s2", Some(0))])).unwrap_err().contains("start step"));
        assert!(check_walk(&flow(), &walked(&[("s1", None), ("s2", Some(1)), ("s3", None)]))
            .unwrap_err()
            .contains("does not lead"));
        assert!(check_walk(&flow(), &walked(&[("s1", None), ("s2", None), ("s3", None)]))
            .unwrap_err()
            .contains("choose an option"));
        assert!(check_walk(&flow(), &walked(&[("s1", None), ("s2", Some(5))])).unwrap_err().contains("no option"));
        let mut wrong_action = walked(&[("s1", None)]);
        wrong_action[0].action = Some("offer-refund".into());
        assert!(check_walk(&flow(), &wrong_action).unwrap_err().contains("does not perform"));
        assert!(check_walk(&flow(), &[]).is_err());
    }
}
