//! A fixed set of everyday sentences on unrelated topics, in Chinese and English. A query's mean
//! cosine to them is its background: how similar the encoder finds it to anything at all. Cosines
//! of one model sit in a narrow band whose place depends on the language and the length of the
//! text, so a match is judged by how far it stands above this background. The background is the
//! mean over the knowledge base's items and these sentences together, so it means much the same
//! in a knowledge base of five items as in one of fifty thousand.

pub const SENTENCES: &[&str] = &[
    "明天北京有小雨，气温十二到十八度。",
    "这家餐馆的红烧肉做得很地道。",
    "周末我们去爬山，顺便在山顶野餐。",
    "孩子的数学作业今天晚上要交。",
    "这部电影的结局让很多观众意外。",
    "公司下个月要搬到新的办公楼。",
    "他每天早上跑步五公里。",
    "图书馆周一闭馆，其他时间正常开放。",
    "这款洗衣机有十二种洗涤模式。",
    "高铁从上海到杭州大约一个小时。",
    "医生建议他少吃盐，多喝水。",
    "我们小区的快递柜经常满。",
    "这只猫喜欢在阳台上晒太阳。",
    "春节前后机票价格会明显上涨。",
    "请把会议纪要发到大家的邮箱。",
    "新开的咖啡店提供燕麦拿铁。",
    "足球比赛因为大雨推迟了。",
    "装修时要注意电线的走向。",
    "这本小说讲的是一个家族三代人的故事。",
    "股市今天整体小幅下跌。",
    "The train to Manchester leaves at half past nine.",
    "She planted tomatoes and basil in the back garden.",
    "The museum is closed on public holidays.",
    "He forgot his umbrella and got soaked on the way home.",
    "Our team won the regional chess tournament last year.",
    "Add the flour slowly and keep stirring the sauce.",
    "The meeting has been moved to Thursday afternoon.",
    "The new bridge will open to traffic next spring.",
    "My sister is learning to play the violin.",
    "The hotel offers free breakfast and a gym.",
    "Scientists observed a rare comet this week.",
    "Please return the library books by Friday.",
    "The bakery on the corner sells fresh sourdough.",
    "Heavy snow is expected in the mountains tonight.",
    "He is writing a thesis about medieval trade routes.",
    "The concert tickets sold out within an hour.",
    "Remember to water the plants while I am away.",
    "The marathon route passes along the river.",
    "A new species of frog was found in the rainforest.",
    "The kids built a sandcastle at the beach.",
];
