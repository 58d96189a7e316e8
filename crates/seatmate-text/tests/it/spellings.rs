use seatmate_text::han_spellings;

#[test]
fn a_search_text_is_spelled_in_simplified_and_traditional() {
    assert_eq!(han_spellings("漫游", 8), ["漫游", "漫遊"]);
    assert_eq!(han_spellings("漫遊", 8), ["漫遊", "漫游"]);
    assert_eq!(han_spellings("国际漫游", 1), ["国际漫游", "國際漫遊"], "Simplified and Traditional stay at any limit");
    assert_eq!(han_spellings("國際漫游", 1), ["國際漫游", "国际漫游", "國際漫遊"]);
    assert_eq!(han_spellings("wifi 5g", 8), ["wifi 5g"]);
    assert!(han_spellings("头发", 8).contains(&"頭髮".to_string()), "every Traditional form: 发 is 發 or 髮");
}
