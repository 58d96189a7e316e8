//! Next steps from the knowledge base: for a risky conversation, the item that says how to
//! de-escalate or where the guided flow goes next.

use std::sync::Arc;

use seatmate_assist::Assist;

use crate::{Guidance, NextStep, ReasonKind, Risk};

/// Searches the knowledge base for what to do about the strongest reason of a risk.
pub struct KnowledgeGuidance(pub Arc<Assist>);

/// What to look for, per reason, in Chinese and English (the search folds both).
fn query(risk: &Risk, customer_said: &str) -> String {
    let need = match risk.reasons.first().map(|r| r.kind) {
        Some(ReasonKind::Regulator | ReasonKind::Complaint | ReasonKind::Media) => {
            "客户投诉升级 安抚 处理时限 complaint escalation"
        }
        Some(ReasonKind::Cancel) => "客户要求销户 携号转网 挽留 cancel retention",
        Some(ReasonKind::Repeated) => "问题反复 多次报修 升级处理 repeated fault escalation",
        Some(ReasonKind::Anger | ReasonKind::Rising) | None => "客户情绪激动 安抚 道歉 angry customer de-escalation",
    };
    format!("{need} {customer_said}")
}

#[async_trait::async_trait]
impl Guidance for KnowledgeGuidance {
    async fn next_step(&self, risk: &Risk, customer_said: &str) -> Option<NextStep> {
        let hits = self.0.search(query(risk, customer_said), 1).await.ok()?;
        let hit = hits.into_iter().next()?;
        Some(NextStep { id: hit.id, title: hit.title, text: readable(&hit.passage) })
    }
}

/// A passage as a sentence for the desk: Markdown table rows and code marks left out (the item's
/// link shows them whole).
fn readable(passage: &str) -> String {
    passage
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.contains('|'))
        .collect::<Vec<_>>()
        .join(" ")
        .replace('`', "")
}

#[cfg(test)]
mod tests {
    #[test]
    fn table_rows_and_code_marks_are_left_out() {
        let passage = "先道歉，再给出处理时限。\n| `CMP.ESCALATE` | 升级 |\n按 `投诉` 流程登记。";
        assert_eq!(super::readable(passage), "先道歉，再给出处理时限。 按 投诉 流程登记。");
    }
}
