use seatmate_core::{Channel, Speaker};
use seatmate_ingest::{conversation_asr_csv, conversation_asr_json, conversation_srt, conversation_vtt, record_id, SpeakerMap};

use crate::{assert_err, ctx, NOW};

fn speakers(c: &seatmate_core::Conversation) -> Vec<Speaker> {
    c.turns.iter().map(|t| t.speaker).collect()
}

use Speaker::{Agent as A, Customer as C};

#[test]
fn json_segments_first_label_heard_is_the_agent() {
    let json = r#"{"language":"zh","segments":[
      {"start":2.5,"end":4.2,"speaker":"SPEAKER_01","text":"我家宽带断了。"},
      {"start":0.0,"end":2.1,"speaker":"SPEAKER_00","text":"您好，很高兴为您服务。"},
      {"start":4.5,"end":5.0,"speaker":"SPEAKER_01","text":"   "},
      {"start":5.0,"end":7.25,"speaker":"SPEAKER_00","text":"请提供宽带账号。"}]}"#;
    let c = conversation_asr_json(&ctx("calls/C-9.json"), json.as_bytes(), &SpeakerMap::default(), None).unwrap();
    assert_eq!((c.source.as_str(), c.channel, c.language.as_deref()), ("asr", Channel::Voice, Some("zh")));
    assert_eq!(c.external_id, "calls/C-9.json");
    assert_eq!(c.id, record_id("conversation", "asr", "calls/C-9.json"));
    assert_eq!(speakers(&c), [A, C, A], "sorted by start; the blank segment is skipped");
    assert_eq!((c.turns[0].start_ms, c.turns[0].end_ms), (Some(0), Some(2100)));
    assert_eq!((c.started_at, c.ended_at), (NOW, Some(NOW + 7250)));

    let map = SpeakerMap { agent_speaker: Some("SPEAKER_01".into()), agent_channel: 0 };
    let c = conversation_asr_json(&ctx("x.json"), json.as_bytes(), &map, Some("C-9")).unwrap();
    assert_eq!(speakers(&c), [C, A, C]);
    assert_eq!(c.external_id, "C-9");

    let map = SpeakerMap { agent_speaker: Some("SPEAKER_07".into()), agent_channel: 0 };
    assert_err(
        conversation_asr_json(&ctx("x.json"), json.as_bytes(), &map, None),
        None,
        Some("speaker"),
        "SPEAKER_00, SPEAKER_01",
    );
}

#[test]
fn json_known_labels_and_stereo_channels() {
    let json = r#"[{"start_ms":0,"end_ms":900,"speaker":"客户","text":"喂？"},
                   {"start_ms":1000,"end_ms":2000,"speaker":"坐席","text":"您好。"},
                   {"start_ms":2100,"end_ms":2500,"speaker":"B","text":"嗯。"}]"#;
    let c = conversation_asr_json(&ctx("x.json"), json.as_bytes(), &SpeakerMap::default(), None).unwrap();
    assert_eq!(speakers(&c), [C, A, C], "with a known agent label, other labels are the customer");

    let stereo = r#"{"segments":[{"start":0,"end":1,"channel":1,"text":"您好，這裡是客服中心。"},{"start":1.2,"end":2,"channel":0,"text":"我要查帳單。"}]}"#;
    let map = SpeakerMap { agent_speaker: None, agent_channel: 1 };
    let c = conversation_asr_json(&ctx("x.json"), stereo.as_bytes(), &map, None).unwrap();
    assert_eq!(speakers(&c), [A, C]);
    let c = conversation_asr_json(&ctx("x.json"), stereo.as_bytes(), &SpeakerMap::default(), None).unwrap();
    assert_eq!(speakers(&c), [C, A]);
}

#[test]
fn json_segment_errors_name_line_and_path() {
    let json = "{\"segments\":[\n{\"start\":0,\"end\":1,\"speaker\":\"A\",\"text\":\"hi\"},\n{\"start\":3,\"end\":2,\"speaker\":\"B\",\"text\":\"hello\"}\n]}";
    assert_err(
        conversation_asr_json(&ctx("x.json"), json.as_bytes(), &SpeakerMap::default(), None),
        Some(3),
        Some("segments[1]"),
        "before start",
    );
    let json = "[{\"start\":0,\"end\":1,\"text\":\"hi\"}]";
    assert_err(
        conversation_asr_json(&ctx("x.json"), json.as_bytes(), &SpeakerMap::default(), None),
        Some(1),
        Some("[0]"),
        "neither",
    );
    let json = "[{\"start\":0,\"speaker\":\"A\",\"text\":\"hi\"}]";
    assert_err(
        conversation_asr_json(&ctx("x.json"), json.as_bytes(), &SpeakerMap::default(), None),
        Some(1),
        Some("[0]"),
        "`end`",
    );
    let json = "[{\"start\":0,\"end\":1,\"speaker\":\"A\",\"text\":\"\"}]";
    assert_err(
        conversation_asr_json(&ctx("x.json"), json.as_bytes(), &SpeakerMap::default(), None),
        None,
        None,
        "no segment has any text",
    );
}

const SRT: &str = "1
00:00:00,000 --> 00:00:02,100
坐席：您好，很高兴为您服务。

2
00:00:02,500 --> 00:00:04,200
客户：我家宽带断了，
从昨晚开始。

3
00:00:04,300 --> 00:00:05,000
一直连不上。

4
00:00:05,100 --> 00:00:07,000
<i>Agent:</i> Let me check the line.

5
00:00:07,100 --> 00:00:09,000
We will come at 10:30 tomorrow.
";

#[test]
fn srt_speaker_prefixes() {
    let c = conversation_srt(&ctx("call.srt"), SRT.as_bytes(), &SpeakerMap::default(), None).unwrap();
    assert_eq!(speakers(&c), [A, C, C, A, A]);
    assert_eq!(c.turns[4].text, "We will come at 10:30 tomorrow.", "a sentence is not a speaker label");
    assert_eq!(c.turns[0].text, "您好，很高兴为您服务。");
    assert_eq!(c.turns[1].text, "我家宽带断了，\n从昨晚开始。");
    assert_eq!(c.turns[2].text, "一直连不上。", "a cue without a speaker continues the previous one");
    assert_eq!(c.turns[3].text, "Let me check the line.");
    assert_eq!((c.turns[3].start_ms, c.turns[3].end_ms), (Some(5100), Some(7000)));

    let other = "1\n00:00:00,000 --> 00:00:01,000\n说话人1：您好。\n\n2\n00:00:01,000 --> 00:00:02,000\n说话人2：你好\n";
    let c = conversation_srt(&ctx("call.srt"), other.as_bytes(), &SpeakerMap::default(), None).unwrap();
    assert_eq!(speakers(&c), [A, C]);
    let map = SpeakerMap { agent_speaker: Some("说话人2".into()), agent_channel: 0 };
    let c = conversation_srt(&ctx("call.srt"), other.as_bytes(), &map, None).unwrap();
    assert_eq!(speakers(&c), [C, A]);
}

#[test]
fn srt_errors() {
    let no_speaker = "1\n00:00:00,000 --> 00:00:01,000\n您好。\n";
    assert_err(conversation_srt(&ctx("a.srt"), no_speaker.as_bytes(), &SpeakerMap::default(), None), Some(3), None, "no speaker");
    let bad_time = "1\n00:00:00,000 --> 00:00:01,000\nAgent: hi\n\n2\n00:00:01 --> 00:00:02,000\nCustomer: hi\n";
    assert_err(
        conversation_srt(&ctx("a.srt"), bad_time.as_bytes(), &SpeakerMap::default(), None),
        Some(6),
        None,
        "bad cue timing",
    );
    let backwards = "1\n00:00:05,000 --> 00:00:01,000\nAgent: hi\n";
    assert_err(
        conversation_srt(&ctx("a.srt"), backwards.as_bytes(), &SpeakerMap::default(), None),
        Some(2),
        None,
        "before start",
    );
    let no_timing = "1\nAgent: hi\n";
    assert_err(conversation_srt(&ctx("a.srt"), no_timing.as_bytes(), &SpeakerMap::default(), None), Some(1), None, "timing line");
}

#[test]
fn vtt_voice_tags() {
    let vtt = "WEBVTT - call 42\n\nNOTE exported by the ASR engine\n\n1\n00:00.000 --> 00:02.100 align:start\n<v 坐席>您好，請問有什麼可以幫您？</v>\n\n00:02.500 --> 00:04.200\n<v.loud 客戶>我的網路斷線了 &amp; 電話也不通</v>\n\n00:01:04.300 --> 00:01:05.000\n<v Agent>OK.\n";
    let c = conversation_vtt(&ctx("call.vtt"), vtt.as_bytes(), &SpeakerMap::default(), None).unwrap();
    assert_eq!(speakers(&c), [A, C, A]);
    assert_eq!(c.turns[1].text, "我的網路斷線了 & 電話也不通");
    assert_eq!(c.turns[2].start_ms, Some(64_300));
    assert_err(
        conversation_vtt(&ctx("call.vtt"), b"1\n00:00.000 --> 00:01.000\n<v A>hi\n", &SpeakerMap::default(), None),
        Some(1),
        None,
        "WEBVTT",
    );
}

#[test]
fn csv_segments() {
    let csv = "start,end,speaker,text\n0,2.1,A,您好，很高兴为您服务。\n2.5,4.2,B,我家宽带断了。\n";
    let c = conversation_asr_csv(&ctx("c.csv"), csv.as_bytes(), &SpeakerMap::default(), None).unwrap();
    assert_eq!(speakers(&c), [A, C]);
    assert_eq!(c.turns[1].end_ms, Some(4200));

    let csv = "start,end,channel,text\n0,2.1,0,Hello\n2.5,4.2,1,Hi\n";
    let map = SpeakerMap { agent_speaker: None, agent_channel: 1 };
    let c = conversation_asr_csv(&ctx("c.csv"), csv.as_bytes(), &map, None).unwrap();
    assert_eq!(speakers(&c), [C, A]);

    let bad = "start,end,channel,text\n0,2.1,0,Hello\n2.5,x,1,Hi\n";
    assert_err(conversation_asr_csv(&ctx("c.csv"), bad.as_bytes(), &map, None), Some(3), Some("end"), "not a time");
    let bad = "start,end,channel,text\n0,2.1,left,Hello\n";
    assert_err(conversation_asr_csv(&ctx("c.csv"), bad.as_bytes(), &map, None), Some(2), Some("channel"), "channel number");
    let bad = "start,end,text\n0,2.1,Hello\n";
    assert_err(conversation_asr_csv(&ctx("c.csv"), bad.as_bytes(), &map, None), Some(1), Some("speaker"), "start, end, text");
    let bad = "begin,end,speaker,text\n0,2.1,A,Hello\n";
    assert_err(
        conversation_asr_csv(&ctx("c.csv"), bad.as_bytes(), &map, None),
        Some(1),
        Some("start"),
        "begin, end, speaker, text",
    );
}
