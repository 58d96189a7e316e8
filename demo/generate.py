#!/usr/bin/env python3
"""Generate the Seatmate demo conversations and tickets.

Writes demo/conversations.jsonl and demo/tickets.csv from the scenario scripts below and from the
wording bank in wording.py (the history), and demo/heldout.csv from the wording the history never
uses. Standard library only; seeded, so the output is byte-identical on every run:

    python3 demo/generate.py

Part of the Seatmate project, licensed Apache-2.0 with it.
"""
import csv
import json
import os
import random
from datetime import datetime, timedelta, timezone

import wording

HERE = os.path.dirname(os.path.abspath(__file__))
COUNT = 300
TZ = timezone(timedelta(hours=8))
END = datetime(2026, 11, 20, 0, 0, 0, tzinfo=TZ)  # conversations fall in the 30 days before this
AGENTS = ["agent%02d" % i for i in range(1, 9)]
# Per-agent habits, so QA has something to find: agent06 slips into forbidden wording,
# agent07 tends to skip identity verification.
FORBIDDEN_RATE = {"agent06": 0.30}
SKIP_VERIFY_RATE = {"agent07": 0.45}

rng = random.Random(42)


# ---------------------------------------------------------------- script helpers

# Voice calls that get a (synthetic) recording, for the case timeline.
RECORDED_CALLS = 6


def A(*texts):
    """An agent turn with alternative wordings."""
    return ("agent", texts)


def C(*texts):
    """A customer turn with alternative wordings."""
    return ("customer", texts)


def Alt(*branches):
    """Alternative sequences of turns; one is picked per conversation."""
    return ("alt", branches)


def sc(key, lang, cat, queue, title, summary, turns, **kw):
    """A scenario: the opening customer turn, then the core of the conversation."""
    d = dict(key=key, lang=lang, cat=cat, queue=queue, title=title, summary=summary, turns=turns,
             prio="normal", verify=True, angry=0.10, sales=0.06, resolved=0.8, weight=1.0, channel=None)
    d.update(kw)
    return d


# ---------------------------------------------------------------- slot values

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高".replace("", " ").split()
EN_NAMES = ["Mr. Smith", "Ms. Garcia", "Mr. Müller", "Ms. Novak", "Mr. Brown", "Ms. Kim", "Mr. Dubois", "Ms. Rossi"]
DISTRICTS = ["滨江区", "西湖区", "高新区", "海曙区", "龙岗区", "天河区", "浦东新区", "江北区", "武侯区", "雨花台区"]
COMMUNITIES = ["星河湾", "翠苑一区", "云栖花园", "月湖小区", "万科城", "华景新城", "金桥新城", "观音桥花园", "锦绣家园", "江南名府"]
COUNTRIES = ["日本", "泰国", "新加坡", "韩国", "马来西亚", "越南"]
EU_COUNTRIES = ["法国", "德国", "意大利", "西班牙", "英国", "瑞士"]

SLOTS = {
    "honor": lambda r: r.choice(SURNAMES) + r.choice(["先生", "女士"]),
    "ename": lambda r: r.choice(EN_NAMES),
    "id6": lambda r: "%05d%s" % (r.randint(0, 99999), r.choice("0123456789X")),
    "sms": lambda r: "%06d" % r.randint(0, 999999),
    "ticket_no": lambda r: "GD2611%06d" % r.randint(0, 999999),
    "addr": lambda r: "%s%s%d栋%d单元%d室" % (r.choice(DISTRICTS), r.choice(COMMUNITIES), r.randint(1, 28),
                                          r.randint(1, 4), r.randint(1, 32) * 100 + r.randint(1, 4)),
    "when": lambda r: r.choice(["昨天晚上", "今天早上", "前天", "刚才", "这两天", "今天中午"]),
    "appt": lambda r: r.choice(["明天上午 9 点到 12 点", "明天下午 2 点到 5 点", "今天下午 4 点到 6 点", "后天上午"]),
    "plan_cur": lambda r: r.choice(["5G 畅享 59 元", "5G 畅享 79 元", "4G 飞享 38 元", "畅享 99 元"]),
    "plan_new": lambda r: r.choice(["5G 畅享 129 元", "5G 畅享 169 元", "5G 畅享 99 元"]),
    "speed": lambda r: r.choice(["100M", "300M", "500M"]),
    "speed_new": lambda r: r.choice(["500M", "1000M"]),
    "measured": lambda r: str(r.choice([35, 48, 60, 72, 85, 110])),
    "amount": lambda r: "%.2f" % (r.randint(500, 30000) / 100),
    "small": lambda r: r.choice(["10", "15", "19.9", "20", "29.9", "30"]),
    "month": lambda r: r.choice(["10 月", "上个月", "这个月"]),
    "country": lambda r: r.choice(COUNTRIES),
    "eu": lambda r: r.choice(EU_COUNTRIES),
    "days": lambda r: str(r.randint(4, 14)),
    "sp": lambda r: r.choice(["悦读天下", "爱乐音乐盒", "趣玩游戏中心", "掌上天气通", "星座运势"]),
    "member": lambda r: r.choice(["视频会员", "音乐会员", "阅读会员"]),
    "gb": lambda r: str(r.choice([20, 30, 40, 60])),
    "save": lambda r: str(r.choice([20, 30, 40, 50])),
    "relative": lambda r: r.choice(["我妈", "我爸", "我老婆", "我老公", "我女儿", "我儿子"]),
    "store": lambda r: r.choice(["人民路营业厅", "万达广场营业厅", "火车站营业厅", "新城吾悦营业厅"]),
    "company": lambda r: r.choice(["恒远物流", "嘉禾医疗器械", "启明软件", "东林制造"]),
    "line_id": lambda r: "ZX%08d" % r.randint(0, 99999999),
    "game": lambda r: r.choice(["王者荣耀", "和平精英", "原神", "英雄联盟"]),
    "penalty": lambda r: str(r.choice([120, 180, 240, 360])),
    "hk_place": lambda r: r.choice(["香港", "台北", "澳門", "高雄"]),
}


class Slots(dict):
    """Slot values for one conversation: drawn on first use, then fixed."""

    def __init__(self, r):
        super().__init__()
        self.r = r

    def __missing__(self, name):
        value = SLOTS[name](self.r)
        self[name] = value
        return value


# ---------------------------------------------------------------- shared blocks per language

BLOCKS = {
    "zh": dict(
        greet_voice=["您好，星海通信客服，工号 {agent_no} 为您服务，请问有什么可以帮您？",
                     "您好，很高兴为您服务，我是 {agent_no} 号客服，请问您遇到什么问题了？",
                     "星海通信，您好！请问有什么可以帮到您？"],
        greet_chat=["您好，我是星海通信在线客服，很高兴为您服务～请问有什么可以帮您？",
                    "您好，在线客服为您服务，请描述一下您遇到的问题。",
                    "亲，您好！请问今天有什么可以帮到您？"],
        system_chat=["会话已接入，坐席 {agent} 为您服务。", "系统提示：您已进入人工服务队列，当前排队 {queue_pos} 人。"],
        verify=[[A("为了保护您的账户安全，麻烦您提供一下机主姓名和身份证后六位。"),
                 C("我是机主，身份证后六位 {id6}。", "后六位是 {id6}，我本人。"),
                 A("好的，已经给您发送了验证码，请告诉我一下。"),
                 C("验证码 {sms}。", "{sms}。")],
                [A("先帮您核实一下身份，请在按键上输入六位服务密码。", "麻烦您先输入一下六位服务密码，我核实一下身份。"),
                 C("好，输好了。", "输完了。"),
                 A("核实成功，谢谢{honor}。", "身份核验通过了，感谢配合。")],
                [A("请问您是机主本人吗？麻烦报一下身份证后六位。"),
                 C("是我本人，后六位 {id6}。"),
                 A("好的，核实无误，谢谢。")]],
        close=[[A("请问还有其他需要帮您的吗？"), C("没有了，谢谢。", "没了，就这个。"),
                A("感谢您的来电，稍后请对我的服务做出评价，祝您生活愉快，再见。")],
               [A("还有别的问题需要咨询吗？"), C("没有了。", "暂时没有了，谢谢你。"),
                A("好的，感谢您的耐心，再见。", "不客气，祝您生活愉快，再见！")],
               [A("那这个问题就先帮您处理到这里，您看还有其他问题吗？"), C("没了，谢谢啊。"),
                A("不客气，请您对本次服务进行评价，再见。")]],
        angry=[C("你们这到底怎么回事？三天两头出问题，我都快烦死了！", "我都打了好几次电话了，到底有没有人管啊？",
                 "每次打进来都要等半天，你们能不能靠谱点！", "我跟你说，这事你们今天必须给我解决！"),
               A("非常抱歉给您带来这么多麻烦，您先别着急，我这边一定帮您跟进到底。",
                 "真的很抱歉，理解您的心情，我马上帮您处理。", "给您添麻烦了，实在抱歉，我先帮您把情况查清楚。")],
        calm=[C("行吧，那你们这次快点。", "好吧，你态度还行，希望这次真能解决。", "嗯，那我等你们消息。")],
        escalate=[C("不行，我要投诉，你叫你们领导来跟我说！", "我不想听这些了，我要找你们领导。", "你们解决不了就让主管来给我打电话。"),
                  A("理解您的心情，我现在就为您登记投诉，值班主管会在 2 小时内给您回电。",
                    "好的，我马上为您升级处理，投诉单号 {ticket_no}，主管会尽快联系您。"),
                  C("那我等电话，别再让我等了。", "好，今天要是还没人联系我，我就接着打。")],
        regulator=[C("你们再这样我就去工信部投诉了！", "我已经受够了，我要打 12300 投诉你们。"),
                   A("非常抱歉，我理解您的不满，我这边立即为您登记紧急投诉，投诉处理组专员 2 小时内会联系您。"),
                   C("好，我等着，解决不了我一定去投诉。")],
        forbidden=[A("这不归我管，你得去找营业厅。", "这个不是我们部门的事，我也没办法。", "系统就是这样的，我也改不了。",
                     "我都说了好几遍了，你怎么还听不懂？"),
                   C("你这什么态度啊？", "那你告诉我归谁管？", "你们客服就这么说话的？"),
                   A("抱歉，我刚才表达不当，我帮您登记转到相关班组处理。", "不好意思，我这边帮您记录下来，由专员联系您。")],
        # Sales pitches: [mobile plan upgrade, converged broadband bundle].
        sales=[[A("另外看您最近几个月流量都超出套餐，现在升级到 {plan_new}，每月能多不少流量，比单买加油包划算，需要帮您了解一下吗？")],
               [A("顺便跟您说一下，您是我们的老用户，现在办宽带和手机融合套餐，每月比现在省 {save} 元左右，要不要了解一下？")]],
        sales_yes=[[C("那挺好，帮我改吧，下个月生效就行。"), A("好的，已为您登记，次月 1 日生效，稍后会收到确认短信。")],
                   [C("听着不错，你发个短信给我看看。"), A("好的，详情已经发到您手机上了，您考虑好随时回复办理。")]],
        sales_no=[[C("先不用了，谢谢。", "暂时不需要，以后再说吧。", "不用了，我就想先把问题解决了。"),
                   A("好的，没关系，有需要随时联系我们。")]],
    ),
    "zh-Hant": dict(
        greet_voice=["您好，星海通信客服，工號 {agent_no} 為您服務，請問有什麼可以幫您？"],
        greet_chat=["您好，我是星海通信線上客服，請問有什麼可以幫您？"],
        system_chat=["會話已接入，坐席 {agent} 為您服務。"],
        verify=[[A("為了保障您的帳戶安全，麻煩提供機主姓名和證件號碼後六位。"),
                 C("我是機主，後六位 {id6}。"),
                 A("好的，核實無誤，謝謝。")]],
        close=[[A("請問還有其他需要幫忙的嗎？"), C("沒有了，謝謝。", "這樣就可以了，謝謝你。"),
                A("不客氣，祝您旅途愉快，再見。")]],
        angry=[C("我在外面急著用網路，你們這樣真的很誇張！"),
               A("非常抱歉造成您的不便，我馬上幫您處理。")],
        calm=[C("好吧，那麻煩你快一點。")],
        escalate=[C("我要投訴，請你們主管跟我聯繫。"),
                  A("了解，我現在為您登記投訴，主管會在 2 小時內回電給您。"),
                  C("好，我等電話。")],
        regulator=[C("再這樣我就要向主管機關申訴了。"),
                   A("非常抱歉，我立即為您登記緊急投訴，專員 2 小時內聯繫您。"),
                   C("好，我等你們消息。")],
        forbidden=[A("這不歸我管，你去問營業廳吧。"),
                   C("你這是什麼態度？"),
                   A("抱歉，我剛才說得不妥，我幫您登記轉給相關同事處理。")],
        sales=[[A("另外，如果您經常往返兩岸三地，可以考慮辦理港澳台 7 天包，只要 68 元，比按天訂購划算。")]],
        sales_yes=[[C("聽起來不錯，那幫我訂一個吧。"), A("好的，已經幫您訂購，下次抵達後首次使用時生效。")]],
        sales_no=[[C("先不用了，謝謝。"), A("好的，有需要隨時聯繫我們。")]],
    ),
    "en": dict(
        greet_voice=["Hello, Xinghai Telecom, agent {agent_no} speaking. How can I help you today?",
                     "Thank you for calling Xinghai Telecom, this is agent {agent_no}. How may I help?"],
        greet_chat=["Hi, welcome to Xinghai Telecom online support. How can I help you today?",
                    "Hello! You're chatting with Xinghai Telecom support. What can I do for you?"],
        system_chat=["Chat connected. Agent {agent} has joined.", "You are now connected to a live agent."],
        verify=[[A("Before I look into your account, could you please confirm the account holder's name and the last six digits of the ID on file?"),
                 C("Sure, it's under my name, last six digits {id6}.", "Yes, it's mine. {id6}."),
                 A("Thank you, I've just sent a one-time code to your phone. Could you read it to me?"),
                 C("It's {sms}.", "Got it, {sms}.")],
                [A("For security, please enter your six-digit service password on the keypad."),
                 C("OK, done."),
                 A("Thank you, you're verified.")]],
        close=[[A("Is there anything else I can help you with?"), C("No, that's all. Thanks!", "That's it, thank you."),
                A("You're welcome. Thank you for contacting Xinghai Telecom, have a nice day!")],
               [A("Anything else today?"), C("Nope, all good."),
                A("Great. You'll get a short survey after this, thanks and goodbye!")]],
        angry=[C("This is ridiculous, I've been trying to sort this out for days!", "Honestly, your service has been terrible this week."),
               A("I'm really sorry about the trouble. Let me take care of this for you right now.",
                 "I completely understand your frustration, and I apologise. Let's get it fixed.")],
        calm=[C("Alright, fine. Just please make sure it gets done this time.", "OK, thanks for sorting it out.")],
        escalate=[C("I want to make a formal complaint. Put me through to your supervisor.", "I'd like to speak to a manager, please."),
                  A("I understand. I've logged a complaint, reference {ticket_no}, and the duty supervisor will call you back within two hours."),
                  C("Fine, I'll wait for the call.")],
        regulator=[C("If this isn't fixed I'm going to the regulator."),
                   A("I'm sorry it has come to this. I've raised an urgent complaint and a specialist will contact you within two hours."),
                   C("OK. I'll be waiting.")],
        forbidden=[A("That's not my department, you'll have to go to a store.", "There's nothing I can do, that's just how the system works."),
                   C("Excuse me? That's not very helpful.", "So who is supposed to help me then?"),
                   A("I apologise, that came out wrong. Let me log this and pass it to the right team for you.")],
        sales=[[A("By the way, you've gone over your data allowance for three months in a row. Our 5G 129 plan has 60 GB a month, "
                  "which would work out cheaper than buying add-ons. Would you like to hear more?")]],
        sales_yes=[[C("Sure, why not. Switch me from next month."), A("Done. The new plan starts on the 1st and you'll get a confirmation SMS.")]],
        sales_no=[[C("No thanks, maybe later."), A("No problem at all.")]],
    ),
}

# ---------------------------------------------------------------- scenarios

S = []

# --- broadband
S.append(sc("bb-los", "zh", "BB.FAULT.NOLINK.LOS", "broadband",
    ["宽带无法上网，光猫 LOS 红灯闪", "光猫 LOS 告警，宽带中断"],
    ["客户反映{addr}宽带{when}起无法上网，光猫 LOS 灯红闪，已派光路故障单，约{appt}上门。"],
    [C("家里宽带上不了网了，{when}开始就不行。", "我家网断了，{when}到现在都连不上。", "宽带又坏了，WiFi 连上了但是打不开网页。"),
     A("请问光猫上面的灯是什么状态？有没有红色的灯在闪？", "麻烦您看一下光猫，LOS 那个灯是不是红色在闪？"),
     C("有个红灯一直在闪，写着 LOS。", "对，LOS 灯是红的，一闪一闪的。"),
     A("好的，这个是光信号中断了，一般是入户光纤或者外线的问题，重启是没用的，我直接帮您派维修单。"),
     A("请问装机地址是{addr}吗？师傅{appt}上门方便吗？"),
     C("对，就是这个地址，{appt}可以。", "地址没错，能不能早点来？我在家办公急用。"),
     A("已经帮您登记了，单号 {ticket_no}，师傅 2 小时内会先给您打电话确认时间。", "好的，我备注加急，工程师会在 2 小时内联系您，24 小时内上门。")],
    prio="high", angry=0.25, resolved=0.3, weight=1.6))
S.append(sc("bb-pppoe", "zh", "BB.FAULT.NOLINK.PPPOE", "broadband",
    ["宽带拨号 691 错误", "电脑拨号失败，已重置密码"],
    ["客户宽带拨号报 691 错误，已为其重置宽带密码并指导重启光猫，恢复正常。"],
    [C("电脑连宽带一直提示错误 691，上不了网。", "我这宽带拨号失败，显示 691 是什么意思？"),
     A("691 一般是账号或密码不对，或者账号被占用。请问最近有改过宽带密码吗？"),
     C("没改过啊，一直是自动连的。", "好像上周换了个路由器。"),
     A("我帮您把宽带密码重置一下，新密码会短信发到您手机上，您在路由器里重新填一下，然后把光猫断电重启。"),
     C("好的，我试试……连上了！", "收到短信了，我改一下……OK 了，能上网了。"),
     A("好的，那就恢复正常了。")],
    resolved=0.95))
S.append(sc("bb-arrears", "zh", "BB.FAULT.NOLINK.ARREARS", "broadband",
    ["宽带欠费停机，缴费后恢复"],
    ["客户反映宽带无法上网，查询为融合套餐欠费 {amount} 元导致停机，已引导缴费，缴费后自动恢复。"],
    [C("我家网突然断了，是不是你们那边有故障？", "宽带一点网都没有，光猫灯都是正常的。"),
     A("我帮您查一下……看到您的融合套餐目前欠费 {amount} 元，所以宽带被暂停了。"),
     C("啊？我不是设了自动扣款吗？", "欠费了？怎么没收到提醒？"),
     A("系统显示本月银行卡自动扣款失败了，月初给您发过提醒短信。您可以在 App 上直接缴费，缴完 15 分钟内自动恢复。"),
     C("行，我现在就交。", "好吧，那我用微信交一下。"),
     A("好的，建议您检查一下绑定的银行卡是否过期，避免下次扣款失败。")],
    resolved=0.95, angry=0.15))
S.append(sc("bb-area", "zh", "BB.FAULT.NOLINK.AREA", "broadband",
    ["小区区域性宽带中断", "区域故障，客户挂接告警单"],
    ["客户所在小区（{addr}）因市政施工光缆中断，已告知预计恢复时间并挂接区域告警工单。"],
    [C("我们整个小区好像都没网了，邻居也说不行。", "楼里好几家都断网了，你们是不是在维修？"),
     A("请稍等，我帮您查一下您所在区域的网络情况。"),
     A("让您久等了，您所在的区域因为市政施工挖断了光缆，抢修人员已经在现场，预计今天 18 点前恢复。"),
     C("要这么久啊？我晚上还要开视频会议。", "那行吧，能不能快一点？"),
     A("非常抱歉，我已经把您的号码登记到故障单里，恢复后会短信通知您。如果需要，可以先用手机开热点应急。")],
    prio="high", angry=0.3, resolved=0.5, verify=False))
S.append(sc("bb-slow-peak", "zh", "BB.FAULT.SLOW.PEAK", "broadband",
    ["宽带晚高峰网速慢", "晚上网速慢，待端口检测"],
    ["客户反映{speed}宽带每晚 8 点后网速明显变慢，测速约 {measured}M，已派单检测端口和分光器负载。"],
    [C("我家宽带一到晚上就特别卡，看个视频都转圈。", "晚上八九点网速慢得要死，白天还好。"),
     A("请问您办的是多少兆的宽带？晚上慢的时候有用网线直接连电脑测过速度吗？"),
     C("办的 {speed}，晚上测出来只有 {measured}M 左右。", "{speed} 的，用 WiFi 测只有 {measured}，网线没试过。"),
     A("明白了，我这边先给您派一个网速检测单，工程师会检查您的端口和分光器负载，必要时会调整。"),
     C("好，那尽快吧。", "要多久能处理好？"),
     A("工程师 24 小时内会联系您，如果是端口问题一般远程就能调整好。")],
    resolved=0.4, sales=0.10))
S.append(sc("bb-speedtest", "zh", "BB.FAULT.SLOW.SPEEDTEST", "broadband",
    ["宽带测速不达标", "{speed} 宽带测速仅 {measured}M"],
    ["客户 {speed} 宽带有线测速仅 {measured}M，连续三次不达标，已登记测速不达标工单，工程师上门复测。"],
    [C("我办的是 {speed} 的宽带，测速才 {measured}M，这不是骗人吗？", "你们宣传的 {speed}，我测了好几次都到不了。"),
     A("理解您的心情。请问您是用网线直连电脑测的吗？WiFi 测速会受手机和距离影响。"),
     C("网线直连的，测了三次都差不多。", "我专门买了根网线连的电脑，还是只有 {measured}。"),
     A("好的，这种情况属于测速不达标，我给您登记工单，工程师上门复测，如果确认是线路问题 7 天内没修复的，会按天减免月费。"),
     Alt([C("那还可以，尽快来吧。"), A("好的，工程师 24 小时内上门。")],
         [C("行，减免是自动的吗？"), A("是的，工单办结时系统会自动核算。")])],
    resolved=0.4, angry=0.3))
S.append(sc("bb-game-lag", "zh", "BB.FAULT.SLOW.SITE", "broadband",
    ["打游戏延迟高，需分析出口路由"],
    ["客户反映玩{game}延迟高、跳 ping，其他网页正常，已记录时段派技术支持分析出口路由。"],
    [C("我玩{game}老是卡，延迟一两百，别的网站倒是正常。", "打{game}一直跳 ping，460 了都，你们网络有问题吧。"),
     A("请问一般是什么时间段卡？是用 WiFi 还是网线？"),
     C("晚上十点以后，网线连的电脑。", "基本晚上都卡，我是插网线的。"),
     A("好的，我记录一下，转给技术支持组分析一下到游戏服务器的路由，2 个工作日内给您回复。"),
     C("行吧，希望能解决。")],
    resolved=0.3, weight=0.7))
S.append(sc("bb-wifi-drop", "zh", "BB.FAULT.DROP.WIFI", "broadband",
    ["WiFi 频繁掉线", "WiFi 掉线，已远程优化信道"],
    ["客户反映家中 WiFi 频繁掉线，有线正常，已远程重启光猫并优化无线信道，建议使用 Mesh 组网。"],
    [C("家里 WiFi 老掉线，一会儿连上一会儿断。", "WiFi 隔一阵就断一下，手机老是切到 4G。"),
     A("请问用网线连电脑会不会断？家里一共连了多少台设备？"),
     C("网线好像没问题，设备大概十几个吧，还有摄像头什么的。", "网线没怎么用过，手机平板加起来七八个。"),
     A("我这边远程帮您重启一下光猫，并且把无线信道调整到干扰少的信道，请稍等两分钟。"),
     C("好的。", "嗯，等你。"),
     A("已经调好了，如果房间多信号弱，可以考虑加 Mesh 路由器，每台 10 元一个月。")],
    resolved=0.75, sales=0.25))
S.append(sc("bb-wifi-pwd", "zh", "BB.FAULT.WIFI.PASSWORD", "broadband",
    ["修改 WiFi 密码"],
    ["客户忘记 WiFi 密码，已指导在 App 智慧家庭中修改，客户操作成功。"],
    [C("WiFi 密码忘了，怎么改啊？", "我想把家里 WiFi 密码换一下，好像有人蹭网。"),
     A("您可以打开星海通信 App，在“智慧家庭-我的网络”里直接修改 WiFi 密码。"),
     C("我找找……看到了，是点这个吗？", "在哪里？我没看到。"),
     A("在“智慧家庭”页面点“我的网络”，再选“无线设置”，输入新密码保存就行，改完所有设备需要重新连接。"),
     C("好了，改好了，谢谢。")],
    prio="low",
    resolved=0.98, verify=False, weight=0.6))
S.append(sc("bb-iptv-auth", "zh", "BB.FAULT.IPTV.AUTH", "broadband",
    ["IPTV 认证失败 1302", "机顶盒认证失败，远程重置"],
    ["客户 IPTV 开机提示认证失败（1302），宽带正常，已远程重置机顶盒账号，恢复观看。"],
    [C("电视开机一直显示认证失败，错误码 1302。", "机顶盒登不上，提示认证失败。"),
     A("请问家里宽带上网正常吗？"),
     C("手机 WiFi 能上网。", "网是好的。"),
     A("好的，我这边远程帮您重置一下机顶盒的账号，请把机顶盒断电 30 秒后再开机。"),
     C("好了，有画面了！", "重启了，现在进去了，谢谢。"),
     A("好的，恢复了就好。")],
    resolved=0.9, weight=0.7))
S.append(sc("bb-missed", "zh", "BB.FAULT.REPAIR.MISSED", "complaints",
    ["维修师傅超时未上门", "报修超时未上门，催办"],
    ["客户{when}报修宽带故障（单号 {ticket_no}），超过 24 小时工程师仍未上门，客户不满，已加急催办。"],
    [C("我前天就报修了，说 24 小时上门，到现在都没人来！", "你们师傅到底还来不来？我请了一天假在家等！"),
     A("非常抱歉，我马上帮您查一下工单进度。", "真的很抱歉让您久等，我查一下单子。"),
     A("看到了，您的工单因为片区工程师排班满了，还没有派出去，这是我们的问题。"),
     C("那怎么办？我总不能天天请假吧！", "你们这种服务还好意思收钱？"),
     A("我现在给您加急催办，要求片区班长今天内联系您，并备注优先上门。"),
     C("今天一定要有人联系我。", "行，今天再没人来我就投诉了。")],
    prio="urgent", angry=0.8, resolved=0.3, weight=1.2))
S.append(sc("bb-new", "zh", "BB.NEW.APPLY", "broadband",
    ["新装宽带申请", "新装 {speed_new} 宽带"],
    ["客户咨询{addr}新装宽带，资源查询有覆盖，已受理 {speed_new} 融合套餐新装，预约{appt}上门。"],
    [C("我刚搬新家，想装个宽带。", "你好，我想办个宽带，{addr}能装吗？"),
     A("好的，请提供一下详细地址，我帮您查一下光纤资源。"),
     C("{addr}。", "地址是{addr}。"),
     A("查到了，您那边有光纤覆盖，最高支持千兆。现在手机加宽带的融合套餐比较划算，{plan_new}含 {speed_new} 宽带。"),
     C("那装 {speed_new} 的吧，要收安装费吗？", "{speed_new} 多少钱？有什么优惠？"),
     A("签 12 个月合约免初装费，光猫免费提供。我帮您预约{appt}上门可以吗？"),
     C("可以，就这个时间。")],
    resolved=0.95, verify=False, sales=0.0, weight=1.2))
S.append(sc("bb-move", "zh", "BB.MOVE.APPLY", "broadband",
    ["宽带移机申请"],
    ["客户申请宽带移机至{addr}，新地址有资源，已受理，合约期内本年度首次移机免费。"],
    [C("我要搬家了，宽带能移过去吗？", "下个月搬家，宽带怎么转过去？"),
     A("可以办理移机，请提供新地址，我先查一下资源。"),
     C("新地址是{addr}。"),
     A("新地址有资源，您是合约用户，今年第一次移机免费。想约哪天上门？"),
     C("下周六吧。", "{appt}行不行？"),
     A("好的，已经登记，工程师会提前一天联系您确认。原来的账号和套餐保持不变。")],
    resolved=0.95, weight=0.8))
S.append(sc("bb-cancel", "zh", "BB.CANCEL.PENALTY", "broadband",
    ["咨询宽带提前拆机违约金"],
    ["客户咨询宽带提前拆机，合约剩余数月，告知违约金约 {penalty} 元及拆机流程，客户考虑中。"],
    [C("宽带我不想用了，怎么拆？", "我想把宽带退了，合约还没到期会怎么样？"),
     A("请问方便说一下不用的原因吗？"),
     C("要搬去和家里人住，那边已经有宽带了。", "网速太慢了，不想用了。"),
     A("明白。您的合约还有几个月，提前拆机需要支付违约金，算下来大概 {penalty} 元，另外光猫和机顶盒需要归还。"),
     Alt([C("这么多？能不能少点？"),
          A("如果是新地址没有资源或者网络长期故障导致的可以免违约金，您这种情况按规定需要支付，抱歉。")],
         [C("好吧，那我考虑一下。"), A("好的，您决定了可以带身份证到营业厅办理，或者再联系我们预约。")])],
    resolved=0.5, angry=0.2, weight=0.8))
S.append(sc("bb-upgrade", "zh", "BB.PKG.UPGRADE", "broadband",
    ["宽带提速至 {speed_new}"],
    ["客户申请宽带由 {speed} 提速至 {speed_new}，已办理，次月 1 日生效，光猫支持千兆无需更换。"],
    [C("我家宽带想升到 {speed_new}，要加多少钱？", "现在是 {speed}，能不能提速？"),
     A("可以的，从 {speed} 升到 {speed_new} 每月加 30 元，合约期不变。"),
     C("那帮我升吧。", "行，什么时候生效？"),
     A("好的，已办理，次月 1 日生效。您的光猫支持千兆，不需要更换。")],
    resolved=0.98, sales=0.0, weight=0.7))

# --- mobile
S.append(sc("mob-plan-up", "zh", "MOB.PLAN.CHANGE.UP", "mobile",
    ["套餐升档至{plan_new}", "办理套餐升档"],
    ["客户当前{plan_cur}流量不足，已升档至{plan_new}，客户选择{effect}。"],
    [C("我现在这个套餐流量不够用，想换个大一点的。", "我的 5G 套餐 data 老是不够，想升级一下。"),
     A("您现在是{plan_cur}，近三个月平均每月用了 {gb}GB 左右，推荐您{plan_new}，流量更多。"),
     C("{plan_new}包含多少流量？", "那就换{plan_new}吧，什么时候生效？"),
     A("{plan_new}含 60GB 以上通用流量和 500 分钟通话。升档可以选立即生效，当月按天折算，也可以下个月生效。"),
     Alt([C("立即生效吧，这个月流量快没了。", "马上生效吧。"), A("好的，已为您办理立即生效。")],
         [C("下个月再生效吧。", "下个月 1 号开始就行。"), A("好的，已为您办理，次月 1 日生效。")])],
    resolved=0.98, sales=0.0, weight=1.3))
S.append(sc("mob-plan-contract", "zh", "MOB.PLAN.CHANGE.CONTRACT", "mobile",
    ["合约期内申请降档被拒", "合约期内降档咨询"],
    ["客户申请将{plan_cur}降档，因处于合约期内不能低于合约档位，已说明并推荐同档位套餐，客户不满。"],
    [C("我想把套餐改便宜一点的，现在每个月太贵了。", "帮我把套餐降到最低的那个。"),
     A("我看一下……您目前是{plan_cur}，还在合约期内，合约期内不能降到合约约定档位以下。"),
     C("当时办的时候没人跟我说啊！", "那我不是被绑死了？"),
     A("非常抱歉当时没有解释清楚。合约到期后可以自由降档，现在可以帮您换成同档位里流量更少但通话更多的组合，或者关掉一些不用的增值业务省一点。"),
     Alt([C("那先帮我看看有没有增值业务吧。"), A("您有一个{member}每月 {small} 元，已经帮您退订了，下个月起不再收费。")],
         [C("算了，到期再说吧。"), A("好的，合约到期前 30 天会短信提醒您。")])],
    resolved=0.4, angry=0.4))
S.append(sc("mob-recommend", "zh", "MOB.PLAN.RECOMMEND", "mobile",
    ["套餐咨询推荐", "客户咨询更优惠的套餐"],
    ["客户咨询更划算的套餐，已根据用量推荐{plan_new}，客户{sales_result}。"],
    [C("你们现在有没有什么划算的套餐？我感觉我这个不太值。", "有没有便宜点流量多点的套餐推荐一下？"),
     A("我看您近三个月每月用流量 {gb}GB 左右，通话不多，{plan_new}比较适合您，流量够用，每月算下来也不贵。"),
     C("跟我现在的比多多少钱？", "有没有合约？"),
     A("比现在每月多 {save} 元，但是流量多了一倍，不用再买加油包了，无合约，随时可以改。"),
     Alt([C("那可以，帮我换吧。"), A("好的，已为您办理，次月 1 日生效。")],
         [C("我再考虑考虑。"), A("好的，详情我发到您手机上，您考虑好了随时办理。")])],
    resolved=0.95, sales=0.0, verify=False, weight=1.2))
S.append(sc("mob-family", "zh", "MOB.PLAN.FAMILY.ADD", "mobile",
    ["办理家庭副卡"],
    ["客户为{relative}办理家庭共享副卡，主卡套餐符合条件免月费，已线上受理，48 小时内寄出。"],
    [C("我想给{relative}加一张副卡，共享我的流量。", "怎么办副卡？想给{relative}用。"),
     A("您的主卡套餐可以免费加最多 4 张副卡，共享流量和通话。副卡需要使用人本人的身份证实名。"),
     C("{relative}在外地，能线上办吗？", "可以，那怎么办？"),
     A("可以的，我发个链接给您，{relative}在链接里上传身份证和做人脸识别，卡 48 小时内寄出。"),
     C("好的，收到链接了。")],
    resolved=0.95, weight=0.8))
S.append(sc("mob-data-out", "zh", "MOB.DATA.ADDON.MONTH", "mobile",
    ["流量用完，订购加油包", "订购流量月包"],
    ["客户本月套餐流量已用完，已为其订购 30 元 10GB 流量月包，立即生效。"],
    [C("我的 5G 套餐 data 用完了，还有十天呢，怎么办？", "流量用完了，现在上网会不会扣很多钱？", "这个月流量超了，有没有什么流量包？"),
     A("您本月套餐内流量已经用完了，现在是按 5 元 1GB 计费。建议您订购流量包：日包 5 元 1GB，月包 30 元 10GB。"),
     C("那订个月包吧。", "月包吧，日包不划算。"),
     A("好的，已为您订购 30 元 10GB 的月包，立即生效，当月有效。")],
    resolved=0.98, sales=0.35, weight=1.3))
S.append(sc("mob-throttle", "zh", "MOB.DATA.THROTTLE", "mobile",
    ["不限量套餐达量限速"],
    ["客户反映手机网速变慢，查询为不限量套餐本月用量超阈值限速至 1Mbps，已说明规则，客户{sales_result}。"],
    [C("我手机上网怎么突然这么慢，网页都打不开。", "我流量还有啊，为什么网速只有几十 K？"),
     A("我查一下，您是不限量套餐，本月已经使用了 100GB，超过阈值后会降到 1Mbps，下个月 1 号自动恢复。"),
     C("不限量还限速？这不是坑人吗？", "啊，原来是这样。"),
     A("办理的时候协议里有写，我理解您的感受。如果着急用，可以订 10 元的提速包，恢复 5GB 高速流量。"),
     Alt([C("那订一个吧。"), A("好的，已订购，马上生效。")],
         [C("算了，不订了。"), A("好的，下个月 1 号会自动恢复。")])],
    resolved=0.85, angry=0.3))
S.append(sc("mob-signal-home", "zh", "MOB.SIGNAL.NONE.HOME", "mobile",
    ["住宅室内无信号", "家中手机无信号投诉"],
    ["客户反映{addr}家中室内手机无信号，已登记网络优化工单，网络维护组 3 个工作日内测试。"],
    [C("我家里手机一点信号都没有，打电话要跑到阳台。", "在家里手机经常显示无服务。"),
     A("请问您家的详细地址是？是所有房间都没信号，还是部分房间？"),
     C("{addr}，客厅和卧室都没有，阳台有一两格。", "地址是{addr}，屋里都不行。"),
     A("好的，我给您登记网络问题工单，网络维护组会在 3 个工作日内安排测试，如果室内覆盖不足可以申请家庭小基站。"),
     C("好吧，尽快处理。", "这个问题很久了，希望这次能解决。")],
    prio="normal", resolved=0.3, angry=0.25))
S.append(sc("mob-5g", "zh", "MOB.SIGNAL.5G", "mobile",
    ["5G 套餐无法使用 5G"],
    ["客户办理 5G 套餐但手机只显示 4G，查询为旧版 SIM 卡，已安排免费换 5G 卡。"],
    [C("我办了 5G 套餐，手机也是 5G 的，怎么一直显示 4G？", "5G 怎么用不了？"),
     A("请问手机设置里 5G 开关打开了吗？我查一下您的卡……您的 SIM 卡是 2018 年的旧卡，不支持 5G。"),
     C("那要换卡吗？要钱吗？", "啊，卡还要换？"),
     A("换卡是免费的，号码和套餐都不变。您可以去营业厅换，也可以线上申请邮寄到家。"),
     C("那寄过来吧。"),
     A("好的，已为您申请，3 天内送达，收到后按说明激活即可。")],
    resolved=0.9, weight=0.8))
S.append(sc("mob-apn", "zh", "MOB.SIGNAL.DATA.APN", "mobile",
    ["能打电话不能上网，APN 错误"],
    ["客户手机能通话不能上网，排查为 APN 配置错误，已指导改回 xinghai，恢复正常。"],
    [C("手机能打电话，但是流量上不了网。", "移动数据开着，但是什么都打不开。"),
     A("请问最近有没有换过手机或者刷过机？麻烦您打开设置-移动网络-接入点名称，看一下 APN 是什么。"),
     C("写的是 cmnet，这是啥？", "我看一下……是空的。"),
     A("这个不对，您新建一个，名称和 APN 都填 xinghai，保存后选中它。"),
     C("好了，可以上网了。", "改完了，现在 OK 了。")],
    resolved=0.95, verify=False))
S.append(sc("mob-watch", "zh", "MOB.DEVICE.ESIM.WATCH", "mobile",
    ["开通手表一号双终端"],
    ["客户咨询智能手表 eSIM 开通，已说明一号双终端 10 元/月并指导在手表 App 中开通。"],
    [C("我买了个能插 eSIM 的手表，怎么开通？", "手表想独立打电话，要办什么业务？"),
     A("需要开通一号双终端业务，10 元一个月，手表和手机共用一个号码。"),
     C("怎么开？", "要去营业厅吗？"),
     A("不用，在手表配套 App 里选“添加蜂窝网络”，按提示跳转到我们的页面做身份验证就可以了。"),
     C("好，我回去试试。")],
    prio="low",
    resolved=0.9, verify=False, weight=0.6))

# --- billing
S.append(sc("bill-high", "zh", "BILL.QUERY.MONTHLY", "billing",
    ["账单金额偏高咨询", "月账单明细解释"],
    ["客户对{month}账单 {amount} 元有疑问，已逐项解释，主要为超套餐流量费，客户认可。"],
    [C("我{month}的话费怎么这么多，{amount}，平时才几十块。", "话费怎么突然变高了？"),
     A("我帮您看一下账单明细……主要是超出套餐的流量费，{month}您用了 {gb}GB，超出部分按 5 元 1GB 计费。"),
     C("我都不知道超了，你们也不提醒？", "那是我自己用多了？"),
     A("流量用到 80% 和 100% 的时候都给您发了提醒短信。以后可以订个流量包，或者升级套餐会更划算。"),
     C("好吧，我知道了。", "行吧，下次注意。")],
    resolved=0.85, sales=0.4, angry=0.2, weight=1.2))
S.append(sc("bill-sp", "zh", "BILL.DISPUTE.VAS.SP", "billing",
    ["不明 SP 扣费，申请退订退费", "{sp} 扣费争议"],
    ["客户话费中有“{sp}”每月 {small} 元扣费，客户否认订购，查无二次确认记录，已退订并全额退费。"],
    [C("我话费里每个月都扣 {small} 块钱，叫什么{sp}，我根本没订过！", "账单上有个{sp}是什么东西？谁给我开的？"),
     A("非常抱歉，我马上帮您查一下订购记录。"),
     A("查到了，这个是第三方的{sp}业务，从 {month} 开始扣费，系统里没有查到您的二次确认记录。"),
     C("那你们就随便扣我钱？必须给我退了！", "那赶紧给我退掉，钱也要退。"),
     A("是的，我现在就帮您退订，并为您申请全额退费，3 到 7 个工作日退回话费余额，同时帮您开通 SP 业务屏蔽。"),
     C("行，那你们查一下是谁给我开的。", "好，以后别再出现这种事。")],
    prio="high", angry=0.6, resolved=0.9, weight=1.3))
S.append(sc("bill-member", "zh", "BILL.DISPUTE.VAS.MEMBER", "billing",
    ["{member}自动续费扣费争议"],
    ["客户{member}到期后自动续费扣 {small} 元，客户未使用本期权益，已关闭自动续费并退费。"],
    [C("我那个{member}怎么又扣钱了？我没说要续啊。", "为什么扣了我 {small} 块的{member}费？"),
     A("您之前开通的时候选的是连续包月，到期后会自动续费。请问本期的会员您使用过吗？"),
     C("没用过，我都忘了这个东西。", "没有，我早不用了。"),
     A("好的，扣费在 7 天内且没有使用，可以为您全额退费，同时关闭自动续费。"),
     C("那好，谢谢。")],
    resolved=0.95))
S.append(sc("bill-double", "zh", "BILL.DISPUTE.DOUBLE", "billing",
    ["缴费重复扣款"],
    ["客户{when}缴费 {amount} 元被重复扣款两次，已核对支付流水，提交退费工单，3-5 个工作日原路退回。"],
    [C("我{when}交话费，钱被扣了两次！", "充值 {amount}，银行卡扣了两笔。"),
     A("请稍等，我核对一下支付流水。"),
     A("确实看到两笔 {amount} 元的入账，是支付渠道重复回调导致的，非常抱歉。"),
     C("那多扣的钱什么时候退？", "那怎么处理？"),
     A("我给您提交退费，多扣的部分 3 到 5 个工作日原路退回，也可以选择留在话费余额里。"),
     C("原路退吧。", "那就放话费里吧，省事。")],
    prio="high", resolved=0.9))
S.append(sc("bill-topup", "zh", "BILL.PAY.NOTARRIVED", "billing",
    ["充值未到账"],
    ["客户通过第三方平台充值 {amount} 元未到账，已提交渠道核查，24 小时内反馈。"],
    [C("我在支付宝充了 {amount}，显示成功了，但话费没到账。", "充值的钱没到，怎么回事？"),
     A("请问是什么时候充的？方便提供一下订单号吗？"),
     C("{when}充的，订单号我发给你。", "大概两个小时前，订单号在这。"),
     A("请稍等，我核查一下。"),
     A("我这边还没有收到这笔充值的到账记录，已经提交渠道核查，24 小时内给您回复，如果充值失败钱会原路退回。"),
     C("好吧，那我等等。")],
    resolved=0.4))
S.append(sc("bill-invoice", "zh", "BILL.INVOICE.EINVOICE", "billing",
    ["开具电子发票", "话费电子发票开具指引"],
    ["客户需要话费发票报销，已指导在 App 发票服务中开具电子发票。"],
    [C("我想开一下话费发票，公司报销要用。", "发票怎么开？要带公司抬头的。"),
     A("您可以在星海通信 App 里点“费用-发票服务”，选择月结发票，填写公司抬头和税号就能开电子发票。"),
     C("能开几个月的？", "开完怎么给我？"),
     A("近 12 个月的都可以开，开好后可以下载 PDF，也可以发到您的邮箱。"),
     C("好的，我去弄一下。")],
    prio="low",
    resolved=0.98, verify=False))
S.append(sc("bill-vat", "zh", "BILL.INVOICE.VAT", "billing",
    ["企业申请增值税专票"],
    ["客户为{company}申请话费增值税专用发票，已告知需先登记一般纳税人资料。"],
    [C("我们公司要开增值税专票，怎么弄？", "能不能开专票？{company}的。"),
     A("开专票需要先登记一般纳税人资料，包括营业执照、开户行和账号，可以在营业厅办，也可以找客户经理。"),
     C("登记完以后每个月都要跑一趟吗？", "要多久？"),
     A("登记一次就行，之后每月在线申请专票，3 个工作日开具。"),
     C("明白了，谢谢。")],
    resolved=0.9, verify=False, weight=0.6))
S.append(sc("bill-restore", "zh", "BILL.SUSPEND.RESTORE", "billing",
    ["欠费停机缴费后未复机"],
    ["客户欠费停机后已缴费，超过 1 小时仍未复机，已手动触发复机，恢复正常。"],
    [C("我交完钱一个小时了还是停机状态。", "我已经交了话费，手机怎么还不能打？"),
     A("我帮您看一下，您的缴费已经到账，但复机指令没有执行成功，我手动帮您处理一下。"),
     C("快点，我等着打电话。", "好的。"),
     A("已经复机了，请您重启一下手机。"),
     C("好了，有信号了。")],
    resolved=0.95, angry=0.25))
S.append(sc("bill-refund", "zh", "BILL.REFUND.PROGRESS", "billing",
    ["退费进度查询"],
    ["客户查询退费进度（单号 {ticket_no}），退费已审核通过，预计 3 个工作日内到账。"],
    [C("上次说给我退的钱到现在还没到。", "我想问一下退费的进度。"),
     A("请问您有工单号吗？"),
     C("{ticket_no}。", "单号是 {ticket_no}。"),
     A("查到了，退费已经审核通过，正在原路退回银行卡，预计 3 个工作日内到账。"),
     C("好的，再不到我还会打过来。")],
    resolved=0.8, angry=0.3))

# --- SIM and number
S.append(sc("card-lost", "zh", "CARD.STATUS.LOSS", "cards",
    ["手机丢失挂失", "号码挂失"],
    ["客户手机丢失，已为其办理号码挂失，告知凭身份证到营业厅补卡（10 元）。"],
    [C("我手机丢了，能帮我把号停了吗？", "手机被偷了，卡要挂失。"),
     A("别着急，我马上帮您办理挂失，挂失后号码不能被使用。"),
     A("已经挂失了。您需要带身份证到任意营业厅补卡，补卡费 10 元，号码和套餐不变。"),
     C("微信支付宝要不要也处理一下？", "好的，明天去补。"),
     A("建议您尽快冻结微信和支付宝，并修改相关密码。")],
    prio="high", resolved=0.95))
S.append(sc("card-puk", "zh", "CARD.SIM.PIN", "cards",
    ["SIM 卡 PIN 锁定，提供 PUK"],
    ["客户 SIM 卡 PIN 码输错被锁，核验身份后提供 PUK 码，已解锁。"],
    [C("我手机开机让输 PUK 码，这是啥？", "卡被锁了，说要 PUK。"),
     A("这是 PIN 码输错三次后需要用 PUK 解锁。核验完身份我可以告诉您 PUK 码，注意 PUK 输错 10 次卡就永久锁了。"),
     C("好的。"),
     A("您的 PUK 码已经发到您登记的联系号码上，请按提示输入后重新设置 PIN。"),
     C("解开了，谢谢。")],
    resolved=0.95, weight=0.6))
S.append(sc("card-keep", "zh", "CARD.STATUS.KEEP", "cards",
    ["办理停机保号"],
    ["客户出国工作一年，已办理停机保号 12 个月，每月 5 元。"],
    [C("我要出国工作一年，号码想留着，怎么办？", "这个号暂时不用，能不能保留？"),
     A("可以办理停机保号，每月 5 元，最长 12 个月，期间不能打电话上网。"),
     C("那帮我办 12 个月吧。", "可以，从下个月开始。"),
     A("好的，已办理，到期后自动恢复并按原套餐计费，记得保证账户有余额。")],
    resolved=0.98, weight=0.6))
S.append(sc("card-close", "zh", "CARD.CLOSE.CONDITION", "cards",
    ["咨询销户条件"],
    ["客户咨询手机号销户，该号码有宽带融合合约，告知需解除合约、结清费用后到营业厅办理。"],
    [C("我要把这个号注销了，怎么弄？", "不想用这个号了，电话里能销户吗？"),
     A("销户需要机主本人带身份证去营业厅办理。我看到您的号码还绑着宽带融合合约，需要先解除合约。"),
     C("这么麻烦？电话里办不了吗？", "合约解除要钱吗？"),
     A("销户涉及账户安全，必须本人到厅。合约还剩几个月，提前解除需要支付违约金，营业厅会给您算具体金额。"),
     C("行吧，那我周末去。")],
    resolved=0.7, angry=0.25))
S.append(sc("card-mnp", "zh", "CARD.MNP.OUT.QUALIFY", "cards",
    ["携号转网资格咨询", "携号转网，已告知授权码获取方式"],
    ["客户要求携号转网，资格查询通过，已告知授权码获取方式；挽留方案{retain}。"],
    [C("我想携号转网，要怎么办？", "我要转到别的运营商，号码不变那种。"),
     A("可以的，请问是对我们哪方面不满意吗？"),
     C("别家同样的钱流量多一倍。", "就是觉得太贵了。"),
     Alt([A("理解。我这边可以给您一个老用户优惠，每月减 {save} 元并多送 20GB 流量，您看要不要考虑一下？"),
          C("不用了，我已经决定了。"),
          A("好的，尊重您的选择。")],
         [A("好的，我先帮您查询携转资格。")]),
     A("您的号码满足携号转网条件。请发送 SQXZ#姓名#证件号 到 10086 获取授权码，3 天内有效，凭授权码到新运营商办理。"),
     C("好的，知道了。")],
    resolved=0.95, weight=1.0))
S.append(sc("card-mnp-block", "zh", "CARD.MNP.OUT.BLOCK", "cards",
    ["携号转网受限（合约未到期）"],
    ["客户携号转网资格查询不通过，原因为存在宽带融合合约，客户认为被刁难，已解释解约方式。"],
    [C("我发短信查携号转网，说我不符合条件，你们是不是故意不让转？", "为什么我不能携号转网？"),
     A("我帮您看一下……不符合的原因是您有一个宽带融合合约还没到期。"),
     C("那个宽带是送的啊！", "我根本不知道有合约！"),
     A("当时办理的融合套餐里约定了 24 个月合约期，还有 5 个月到期。您可以等到期再办，也可以支付违约金提前解约。"),
     C("你们就是变相阻止我转网！", "我要看当时签的协议。"),
     A("理解您的心情，协议可以在 App“我的合约”中查看，我也可以发到您邮箱。")],
    prio="high", angry=0.7, resolved=0.3, weight=0.9))
S.append(sc("card-fraud-blocked", "zh", "CARD.REALNAME.FRAUD.BLOCKED", "cards",
    ["涉诈模型停机，需二次实名"],
    ["客户号码因涉诈风险模型触发停机，已告知需本人持身份证到营业厅二次实名核验，同时提交误判申诉。"],
    [C("我手机突然被停了，短信说涉嫌诈骗？我怎么可能诈骗！", "号码被停了，说要二次实名，什么情况？"),
     A("请您别着急，这是反诈系统检测到号码有异常使用行为，比如短时间大量外呼陌生号码，会触发保护性停机。"),
     C("我是做销售的，每天要打很多电话啊。", "我就是最近打了几个电话而已。"),
     A("明白，您需要本人带身份证到营业厅做二次实名核验，说明使用情况后就可以恢复。我也帮您提交一个误判申诉，3 个工作日内反馈。"),
     C("那我今天就去。", "好吧，真麻烦。")],
    prio="high", angry=0.4, resolved=0.5, weight=0.8))
S.append(sc("card-scam", "zh", "CARD.REALNAME.FRAUD.CALL", "cards",
    ["冒充客服诈骗来电举报"],
    ["客户接到冒充星海客服的诈骗电话，要求下载屏幕共享软件，客户未操作，已登记举报并提示防诈。"],
    [C("刚才有个人打电话说是你们客服，说我的卡要注销，让我下载一个软件。", "有人冒充你们打电话，让我转账，是真的吗？"),
     A("那是诈骗电话，我们不会打电话让您转账或下载屏幕共享软件。您没有操作吧？"),
     C("没有，我觉得不对就挂了。", "还没，我觉得可疑。"),
     A("做得很对。请告诉我来电号码，我帮您登记举报，您也可以拨打 96110 反诈专线。"),
     C("号码是 170 开头的，我发给你。")],
    resolved=0.95, verify=False, weight=0.7))
S.append(sc("card-face", "zh", "CARD.NEW.ACTIVATE.FACE", "cards",
    ["新卡激活人脸识别失败"],
    ["客户线上新卡激活人脸识别多次失败，已指导调整环境，仍失败则建议营业厅人工激活。"],
    [C("新卡激活一直刷脸失败，试了好几次了。", "激活的时候活体检测过不去。"),
     A("请您在光线亮一点的地方，摘掉眼镜和帽子，正对摄像头再试一次。"),
     C("还是不行。", "试了，提示照片比对不通过。"),
     A("那建议您带身份证去营业厅人工激活，或者预约视频客服协助。"),
     C("好吧，我找时间去营业厅。")],
    resolved=0.4, verify=False, weight=0.7))

# --- roaming
S.append(sc("roam-open", "zh", "ROAM.OPEN.HOW", "roaming",
    ["出境前咨询漫游开通", "开通国际漫游"],
    ["客户下周去{country}{days}天，已确认国际漫游已开通，推荐亚洲多日流量包，客户{sales_result}。"],
    [C("我下周去{country}玩几天，手机需要开通什么吗？", "出国要开漫游吗？我要去{country}。"),
     A("我查一下，您的国际漫游已经默认开通了，不用单独办理。请问去几天？"),
     C("{days} 天左右。", "大概 {days} 天。"),
     A("建议您订个亚洲 7 天流量包 118 元，比按天 25 元划算。到了以后记得打开手机的“数据漫游”开关。"),
     Alt([C("好，那帮我订一个。"), A("已为您订购，到达后首次使用流量时开始计算。")],
         [C("我到了再看吧。"), A("好的，没订流量包的话按每天封顶计费，不会产生高额费用。")])],
    resolved=0.98, verify=True, sales=0.0, weight=1.2))
S.append(sc("roam-europe", "zh", "ROAM.PKG.DATA.EUROPE", "roaming",
    ["欧洲漫游流量包咨询"],
    ["客户赴{eu}出差，咨询漫游资费，已推荐欧洲 35 元/天流量包并说明通话资费 1.99 元/分钟。"],
    [C("我要去{eu}出差，流量包怎么收费？", "去欧洲用什么流量包？"),
     A("欧洲流量包 35 元一天，每天 1GB 高速，超出后限速不断网；7 天包 168 元。"),
     C("打电话呢？", "打电话贵吗？"),
     A("欧洲通话 1.99 元一分钟，接听也收费，建议多用网络电话。"),
     C("好的，那先订个 7 天包。"),
     A("好的，已订购，到达后首次使用时生效。")],
    prio="low",
    resolved=0.98, weight=0.8))
S.append(sc("roam-nodata", "zh", "ROAM.FAULT.NODATA.SWITCH", "roaming",
    ["境外无法上网（数据漫游未开）"],
    ["客户在{country}有信号不能上网，已订流量包，指导打开数据漫游开关后恢复。"],
    [C("我现在在{country}，手机有信号但是上不了网，流量包也买了。", "人在国外，打不开网页，急死了！"),
     A("别着急，请打开设置-移动网络，看一下“数据漫游”开关是不是打开的。"),
     Alt([C("没开，我打开一下……好了，能用了！"), A("好的，如果之后还有问题可以手动选一下当地其他运营商的网络。")],
         [C("开着呢，还是不行。"), A("那请在“运营商选择”里关掉自动，手动选另一家当地运营商试试。"),
          C("换了一个……OK 了，谢谢。", "好了，现在能上网了。")])],
    prio="high", resolved=0.9, verify=False, weight=1.0))
S.append(sc("roam-bill", "zh", "ROAM.BILL.HIGH", "roaming",
    ["回国后高额漫游费争议", "漫游账单 {amount} 元争议"],
    ["客户{country}出行回国后账单出现 {amount} 元漫游费，已订流量包仍被按标准资费计费，已提交复核退费。"],
    [C("我去{country}之前订了流量包，回来怎么扣了我 {amount} 块漫游费？", "漫游费太离谱了，扣了 {amount}！"),
     A("非常抱歉，我帮您核对一下漫游话单和流量包订购记录。"),
     A("看到您订的是 7 天包，但您实际停留了 {days} 天，超出的几天按日封顶计费，另外有部分话单延迟回传。"),
     C("那也不可能这么多吧！", "我不认，你们得给我退。"),
     A("我给您提交复核，按封顶规则重新计算，多扣的部分会退回，国际漫游组 3 个工作日内联系您。"),
     C("行，你们查清楚。")],
    prio="high", angry=0.7, resolved=0.4, weight=1.0))

# --- complaints
S.append(sc("cmp-store", "zh", "CMP.SERVICE.ATTITUDE.STORE", "complaints",
    ["投诉营业厅服务态度"],
    ["客户投诉{store}营业员服务态度差、办理补卡时不耐烦，已登记服务投诉，24 小时内回复。"],
    [C("我要投诉{store}的营业员，态度太差了。", "你们{store}的人怎么这样，爱答不理的。"),
     A("非常抱歉给您带来不好的体验，麻烦您说一下具体的时间和经过。"),
     C("{when}去补卡，排了一个小时队，她一直玩手机，问她话还不耐烦。", "我问她问题，她说自己看墙上的，太过分了。"),
     A("确实不应该这样，我已经为您登记服务投诉，投诉处理组会核实并在 24 小时内给您回复。"),
     C("好，要给我一个说法。")],
    prio="normal", angry=0.6, resolved=0.2, verify=False, weight=0.9))
S.append(sc("cmp-mislead", "zh", "CMP.SALES.MISLEAD", "complaints",
    ["营销误导办理合约套餐", "投诉虚假宣传"],
    ["客户称营业员承诺“免费升级”，实际办理了{plan_new}两年合约，要求恢复原套餐，已登记营销投诉待核查录音。"],
    [C("你们营业员跟我说免费升级 5G，结果我每个月多扣了好几十！", "当时说好不加钱的，怎么变成两年合约了？"),
     A("非常抱歉，我查一下您的办理记录。"),
     A("记录显示您 {month} 在营业厅办理了{plan_new}，签了 24 个月合约。"),
     C("我根本不知道有合约，他就让我签个字。", "我要恢复原来的套餐，多扣的钱退给我。"),
     A("我理解，我为您登记营销误导投诉，调取办理录音核查，确属误导的会为您恢复原套餐并退还差价。"),
     C("好，你们查吧。")],
    prio="high", angry=0.8, resolved=0.2, weight=1.0))
S.append(sc("cmp-harass", "zh", "CMP.SALES.HARASS", "complaints",
    ["营销电话骚扰，登记免打扰"],
    ["客户反映频繁接到星海营销外呼，已登记营销免打扰，7 个工作日内生效。"],
    [C("你们能不能别再给我打推销电话了？一天好几个！", "我每天都接到你们推销宽带的电话，烦死了。"),
     A("非常抱歉打扰到您了，我现在就为您登记营销免打扰。"),
     C("登记了就不会再打了？", "以前登记过，没用啊。"),
     A("登记后 7 个工作日内生效，有效期 3 年。如果之后还接到，请记下号码告诉我们，会追究外呼方责任。"),
     C("好吧。")],
    angry=0.5, resolved=0.9, weight=0.8))
S.append(sc("cmp-repeat", "zh", "CMP.NETWORK.REPEAT", "complaints",
    ["宽带反复故障重复投诉", "一个月内三次断网投诉"],
    ["客户宽带一个月内第三次故障，多次报修未根治，情绪激动，已登记重复投诉，要求网络维护组彻底排查。"],
    [C("这个月第三次断网了！每次修完没两天又坏！", "我家宽带一个月坏三次，你们到底能不能修好？"),
     A("非常抱歉，我看到您这个月已经报修了两次，确实给您带来了很大困扰。"),
     C("每次都说修好了，根本没用！", "我不想再听道歉了，我要一个解决方案。"),
     A("这次我给您登记重复投诉，要求网络维护组彻底排查线路，必要时重新布线，并为您申请本月宽带费减免。"),
     C("减免多少？", "这还差不多。"),
     A("按故障天数核算，处理完后投诉专员会跟您确认。")],
    prio="high", angry=0.9, resolved=0.3, weight=1.0))
S.append(sc("cmp-praise", "zh", "CMP.SUGGEST.PRAISE", "complaints",
    ["客户表扬装维工程师"],
    ["客户来电表扬上门的装维工程师服务细致，已登记表扬。"],
    [C("我想表扬一下昨天来修宽带的师傅，人特别好。", "我打电话不是投诉，是想表扬你们的师傅。"),
     A("谢谢您的认可！请问您记得师傅的姓名或者工号吗？"),
     C("姓刘，他还帮我把路由器位置调了，WiFi 好多了。"),
     A("好的，我已经登记了表扬，会反馈给他的班组，感谢您的支持。")],
    prio="low",
    resolved=1.0, verify=False, angry=0.0, weight=0.5))

# --- value-added services
S.append(sc("vas-cancel-all", "zh", "VAS.SUB.CANCEL.ALL", "mobile",
    ["一键退订全部增值业务"],
    ["客户要求退订增值业务，已查询并按客户要求退订，次月起不再扣费。"],
    [C("帮我把所有包月的东西都关掉，我一个都不用。", "我有哪些增值业务？全部给我退了。"),
     A("好的，我查一下，您目前订了彩铃、来电提醒和一个{member}。"),
     C("全部退掉。", "彩铃留着吧，其他都退。"),
     A("已经为您退订，当月已扣的费用不退，下个月起就不再收了。")],
    resolved=0.98))
S.append(sc("vas-camera", "zh", "VAS.CLOUD.CAMERA.OFFLINE", "broadband",
    ["看家摄像头离线"],
    ["客户看家摄像头显示离线，网络正常，已指导复位重新添加，客户操作后恢复。"],
    [C("家里装的那个摄像头 App 上显示离线。", "监控看不了了，显示设备离线。"),
     A("请问家里宽带和 WiFi 正常吗？最近有没有改过 WiFi 密码？"),
     C("前几天改过密码。", "网是好的。"),
     A("那需要重新配网，长按摄像头复位键 5 秒，然后在 App 里重新添加设备。"),
     C("好了，能看到画面了。", "我试一下……可以了。")],
    resolved=0.9, verify=False, weight=0.6))
S.append(sc("vas-app-login", "zh", "VAS.APP.LOGIN", "mobile",
    ["App 登录收不到验证码"],
    ["客户 App 登录收不到验证码，排查为开启了短信拦截，已指导使用本机号码一键登录。"],
    [C("你们 App 登不上，验证码一直收不到。", "App 登录收不到短信验证码。"),
     A("请问手机有没有装拦截软件？可以先试试用“本机号码一键登录”。"),
     C("哦，那个可以了。", "我看看，确实被拦截了。"),
     A("好的，建议把 10086 加入白名单。")],
    resolved=0.95, verify=False, weight=0.5))

# --- enterprise
S.append(sc("ent-line-down", "zh", "ENT.LINE.FAULT.DOWN", "enterprise",
    ["政企专线中断", "{company}专线中断报障"],
    ["{company}专线 {line_id} {when}中断，影响业务，已按金牌专线 SLA 派单，4 小时内恢复。"],
    [C("我们是{company}，公司专线断了，整个办公室都没网。", "{company}的专线中断了，业务全停了，赶紧处理！"),
     A("收到，请提供一下专线编号。"),
     C("{line_id}。", "编号 {line_id}。"),
     A("查到了，是金牌专线，我马上派单给网络维护组并通知您的客户经理，承诺 4 小时内恢复。"),
     C("越快越好，我们还有订单系统在跑。", "好，有进展随时告诉我。"),
     A("好的，工程师 30 分钟内会给您回电。")],
    prio="urgent", channel="voice", angry=0.4, resolved=0.3, verify=False, weight=0.8))
S.append(sc("ent-sms-sign", "zh", "ENT.COMM.SMS.SIGN", "enterprise",
    ["企业短信签名报备咨询"],
    ["{company}企业短信发送失败，原因为签名未报备，已告知报备材料和 3-5 个工作日审核时间。"],
    [C("我们公司发的验证码短信用户收不到。", "企业短信发不出去，怎么回事？"),
     A("我查一下发送记录……显示是签名未报备被网关拦截了。"),
     C("签名要怎么报备？", "需要什么材料？"),
     A("需要营业执照和签名与企业名称的关联证明，提交后 3 到 5 个工作日审核。客户经理会联系您协助。"),
     C("好的。")],
    resolved=0.7, verify=False, weight=0.5))

# --- general
S.append(sc("gen-store", "zh", "GEN.STORE.HOURS", "mobile",
    ["营业厅营业时间咨询"],
    ["客户咨询附近营业厅营业时间，已告知{store}营业时间并推荐线上预约。"],
    [C("请问{store}几点关门？", "周末营业厅开门吗？"),
     A("{store}每天 9 点到 21 点营业，周末正常营业。您可以在 App 里预约，到店不用排队。"),
     C("好的，谢谢。")],
    prio="low",
    resolved=1.0, verify=False, angry=0.0, weight=0.5))
S.append(sc("gen-elder", "zh", "GEN.POLICY.ELDER", "mobile",
    ["为老人咨询关爱服务"],
    ["客户为{relative}咨询老年人服务，已介绍一键转人工、爱心通道和亲情代付。"],
    [C("我{relative}七十多了，不太会用智能手机，你们有什么服务吗？", "有没有适合老人的套餐？"),
     A("有的，65 岁以上用户打热线可以一键转人工，营业厅有爱心通道，还有 19 元起的关爱套餐。"),
     C("话费能我来帮他交吗？", "那怎么办理？"),
     A("可以开通亲情代付，您的账户自动帮老人缴费，在 App 里就能设置。"),
     C("好，我回头弄一下。")],
    prio="low",
    resolved=0.95, verify=False, weight=0.5))

# --- English
S.append(sc("en-roam-open", "en", "ROAM.OPEN.HOW", "roaming",
    ["外籍客户咨询漫游开通"],
    ["客户（英文）下周出境，已确认漫游已开通，推荐多日流量包。"],
    [C("Hi, I'm flying to Singapore next week. Do I need to turn anything on for my phone to work there?", "Will my Xinghai SIM work abroad?"),
     A("Let me check. International roaming is already active on your number, so you don't need to apply."),
     C("Great. What about data? I don't want a huge bill.", "How much is data over there?"),
     A("I'd suggest the Asia 7-day pack for 118 yuan, with 1 GB of full-speed data per day. Just switch on Data Roaming when you land."),
     C("OK, please add that.", "Sounds good, I'll take it."),
     A("Done. It starts when you first use data in Singapore.")],
    resolved=0.98, sales=0.0))
S.append(sc("en-throttle", "en", "MOB.DATA.THROTTLE", "mobile",
    ["外籍客户流量限速咨询"],
    ["客户（英文）反映手机网速慢，为不限量套餐达量限速，已说明并订购提速包。"],
    [C("My mobile internet has been super slow since yesterday.", "Why is my data so slow? I still have data left."),
     A("You're on an unlimited plan and you've used 100 GB this month, so speed is reduced to 1 Mbps until the 1st."),
     C("Oh, I didn't know that. Can I do anything?", "That's annoying. Any way to fix it?"),
     A("You can add a 10 yuan speed pack for 5 GB of full-speed data."),
     C("Yes, please add it."),
     A("Added, it's active now.")],
    resolved=0.95))
S.append(sc("en-bb-down", "en", "BB.FAULT.NOLINK.ONT", "broadband",
    ["外籍客户宽带光猫故障"],
    ["客户（英文）家中光猫所有指示灯不亮，更换电源后仍无效，已登记光猫更换工单。"],
    [C("Hi, my home internet is down. The modem has no lights at all.", "My broadband box is completely dead."),
     A("Sorry to hear that. Could you check the power adapter and try a different socket?"),
     C("I've tried two sockets, still nothing.", "Already did, nothing happens."),
     A("It sounds like the modem has failed. I'll book an engineer to replace it free of charge; they'll call you within 2 hours."),
     C("OK, thanks. Tomorrow morning would be best."),
     A("Noted, I've asked for a morning visit.")],
    prio="high", resolved=0.5))
S.append(sc("en-invoice", "en", "BILL.INVOICE.EINVOICE", "billing",
    ["外籍客户开具电子发票"],
    ["客户（英文）需要话费发票报销，已指导在 App 开具电子发票并发送至邮箱。"],
    [C("I need an invoice for my phone bill for my company.", "How do I get a fapiao for my monthly bill?"),
     A("You can issue an e-invoice in the Xinghai app under Billing, then Invoices. Enter your company name and tax ID."),
     Alt([C("Is the app available in English?"), A("Yes, you can switch the language in Settings.")],
         [C("Can you email it to me?"), A("After issuing it you can download the PDF or have it sent to your email.")]),
     C("Perfect, thanks.")],
    resolved=0.98, verify=False))
S.append(sc("en-sim-lost", "en", "CARD.SIM.REPLACE.LOST", "cards",
    ["外籍客户手机丢失补卡"],
    ["客户（英文）手机丢失，已挂失，告知持护照到营业厅补卡。"],
    [C("I lost my phone last night. Can you block my SIM?", "My phone was stolen, please suspend my number."),
     A("I'm sorry to hear that. I've suspended the line so nobody can use it."),
     C("How do I get a new SIM?", "Can I keep the same number?"),
     A("You keep the same number and plan. Bring your passport to any Xinghai store; a replacement SIM costs 10 yuan."),
     C("OK, I'll go tomorrow.")],
    prio="high", resolved=0.95))
S.append(sc("en-vas", "en", "BILL.DISPUTE.VAS.SP", "billing",
    ["外籍客户不明扣费争议"],
    ["客户（英文）账单出现第三方 SP 扣费 {small} 元，否认订购，已退订并退费。"],
    [C("There's a {small} yuan charge on my bill I don't recognise.", "I'm being charged monthly for something called {sp}."),
     A("Let me check the subscription record."),
     A("It's a third-party service and I can't find any confirmation from you. I'll cancel it and refund the charge."),
     C("Thanks. Can you make sure it doesn't happen again?"),
     A("I've also blocked third-party subscriptions on your number.")],
    resolved=0.95, angry=0.3))
S.append(sc("en-tourist", "en", "ROAM.INBOUND.TOURIST", "roaming",
    ["境外游客卡咨询"],
    ["客户（英文）为来华游客，咨询游客卡套餐及激活方式，已说明需持护照激活。"],
    [C("Hi, I'm visiting China for two weeks. Do you have a tourist SIM?", "What SIM should I get as a tourist?"),
     A("Yes, our tourist SIM is 99 yuan for 15 days with 30 GB of data and 100 minutes of calls."),
     C("Where can I buy it?", "Do I need to register?"),
     A("At the airport counter or any store. You need your passport for real-name registration; activation takes about 10 minutes."),
     C("Great, thank you.")],
    prio="low",
    resolved=1.0, verify=False))

# --- Traditional Chinese (visitors and roaming customers from Hong Kong / Taiwan)
S.append(sc("hant-hk-pack", "zh-Hant", "ROAM.PKG.DATA.HKMO", "roaming",
    ["港澳台漫游流量包咨询（繁体）"],
    ["客户（繁体）经常往返{hk_place}，咨询港澳台流量包，已介绍日包和 7 天包。"],
    [C("你好，我下週要回{hk_place}，漫遊流量包怎麼收費？", "請問去{hk_place}用什麼流量包比較划算？"),
     A("港澳台流量包 15 元一天，每天 3GB 高速，7 天包 68 元。"),
     C("打電話回內地呢？", "那接電話要錢嗎？"),
     A("在港澳台接聽和撥打內地電話都是 0.69 元一分鐘。"),
     C("好的，我知道了。")],
    prio="low",
    resolved=0.98, verify=False, sales=0.3))
S.append(sc("hant-tw-nodata", "zh-Hant", "ROAM.FAULT.NODATA.OPERATOR", "roaming",
    ["境外无法上网，手动选网（繁体）"],
    ["客户（繁体）在{hk_place}无法上网，已指导手动选择合作运营商网络后恢复。"],
    [C("我現在在{hk_place}，手機有訊號但是不能上網。", "人在{hk_place}，網路一直連不上，很急。"),
     A("請到設定裡的「電信業者」，把自動選擇關掉，手動選另一家合作運營商試試。"),
     C("好，我換一個……可以了！", "換了，現在有 4G 了。"),
     A("好的，如果之後又不行，可以再換回來試試。")],
    prio="high", resolved=0.9, verify=False))
S.append(sc("hant-bill-delay", "zh-Hant", "ROAM.BILL.DELAY", "roaming",
    ["漫游话单延迟扣费（繁体）"],
    ["客户（繁体）回来两周后仍被扣漫游费，已解释境外话单延迟回传，金额核对无误。"],
    [C("我上個月去{hk_place}，都回來兩週了，怎麼今天還扣漫遊費？", "為什麼回來這麼久還有漫遊扣費？"),
     A("境外運營商的話單有時會延遲幾天到一個月才傳回來，所以扣費時間會比實際使用晚。"),
     C("那金額對嗎？", "會不會重複扣？"),
     A("我核對過了，都是您在當地的使用記錄，沒有重複，金額按封頂規則計算。"),
     C("好吧，了解了。")],
    resolved=0.9, angry=0.3))
S.append(sc("hant-visitor", "zh-Hant", "ROAM.INBOUND.VISITOR", "roaming",
    ["港澳台用户内地办卡咨询（繁体）"],
    ["客户（繁体）为来内地工作的港澳台居民，咨询办卡，已告知可凭居住证或通行证办理。"],
    [C("我是台灣人，在內地工作，可以辦你們的手機卡嗎？", "香港居民可以在內地辦門號嗎？"),
     A("可以的，憑港澳台居民居住證或往來內地通行證到營業廳就能辦理。"),
     C("要多久？", "可以選號碼嗎？"),
     A("現場辦理，大約 20 分鐘，可以現場選號。"),
     C("好的，謝謝。")],
    prio="low",
    resolved=1.0, verify=False))


# ---------------------------------------------------------------- composition

def pick(r, texts, slots):
    return r.choice(texts).format_map(slots)


def expand(r, items, slots, flags=(), flag_all=False):
    """Turn script items into (speaker, text, flags) tuples; `flags` mark the first turn (or all)."""
    out = []
    for item in items:
        if item[0] == "alt":
            out += expand(r, r.choice(item[1]), slots)
        else:
            out.append((item[0], pick(r, item[1], slots), ()))
    for i in range(len(out) if flag_all else min(1, len(out))):
        out[i] = out[i][:2] + (flags,)
    return out


def compose(r, s, agent):
    """One conversation for scenario `s` handled by `agent`."""
    lang = s["lang"]
    b = BLOCKS[lang]
    slots = Slots(r)
    slots["agent"] = agent
    slots["agent_no"] = "8%03d" % (int(agent[5:]) * 7 + 100)
    slots["queue_pos"] = str(r.randint(1, 9))
    channel = s["channel"] or ("chat" if r.random() < 0.6 else "voice")

    opening = expand(r, s["turns"][:1], slots)
    core = expand(r, s["turns"][1:], slots)

    # Optional parts, each decided once.
    angry = r.random() < s["angry"]
    escalate = angry and r.random() < 0.35
    regulator = escalate and r.random() < 0.25
    forbidden = r.random() < FORBIDDEN_RATE.get(agent, 0.03)
    sales = (not angry) and r.random() < s["sales"]
    sales_yes = sales and r.random() < 0.45
    verified = s["verify"] and r.random() >= SKIP_VERIFY_RATE.get(agent, 0.10)

    head = []
    if channel == "chat" and r.random() < 0.5:
        head.append(("system", pick(r, b["system_chat"], slots), ()))
    head.append(("agent", pick(r, b["greet_" + channel], slots), ()))

    parts = [("head", head), ("opening", opening)]
    if angry:
        parts.append(("angry", expand(r, b["angry"], slots, ("interrupt",), flag_all=True)))
    if verified:
        parts.append(("verify", expand(r, r.choice(b["verify"]), slots)))
    if forbidden:
        # The slip comes right after the customer first explains the problem.
        parts.append(("forbidden", expand(r, b["forbidden"], slots)))
    parts.append(("core", core))
    if escalate:
        parts.append(("escalate", expand(r, b["regulator" if regulator else "escalate"], slots, ("interrupt",))))
    elif angry:
        parts.append(("calm", expand(r, b["calm"], slots)))
    if sales:
        pitches = b["sales"]
        pitch = pitches[-1] if s["queue"] == "broadband" else pitches[0]  # bundles for broadband customers
        pitch = expand(r, pitch, slots) + expand(r, r.choice(b["sales_yes" if sales_yes else "sales_no"]), slots)
        parts.append(("sales", pitch))
    parts.append(("close", expand(r, r.choice(b["close"]), slots)))
    for extra in ("sales", "forbidden", "angry"):  # keep within 6–20 turns, dropping extras in this order
        if sum(len(p) for _, p in parts) <= 20:
            break
        parts = [(name, p) for name, p in parts if name != extra]
        if extra == "sales":
            sales = sales_yes = False
        elif extra == "forbidden":
            forbidden = False
    turns = [t for _, p in parts for t in p]
    assert 6 <= len(turns) <= 20, (s["key"], len(turns))

    resolved = (not escalate) and r.random() < s["resolved"]
    if escalate:
        sat = r.choice([1, 1, 2])
    elif resolved:
        sat = r.choice([3, 4, 4, 5, 5, 5])
    else:
        sat = r.choice([1, 2, 2, 3, 3, 4])
    if forbidden:
        sat = min(sat, 2)
    if angry and not escalate:
        sat = min(sat, 4)

    # Summary wording that depends on which branch the conversation took.
    agreed = sales_yes or any(w in t[1] for t in core if t[0] == "agent"
                              for w in ("已为您办理", "已为您订购", "已订购", "Done", "Added"))
    slots["sales_result"] = "已接受办理" if agreed else "暂不办理"
    slots["retain"] = "已介绍，客户未接受" if any("老用户优惠" in t[1] for t in core) else "未介绍"
    slots["effect"] = "立即生效" if any("立即生效" in t[1] for t in core) else "次月生效"
    return dict(scenario=s, lang=lang, channel=channel, turns=turns, slots=slots, angry=angry,
                escalate=escalate, regulator=regulator, forbidden=forbidden, sales_yes=sales_yes,
                resolved=resolved, sat=sat)


def timed(r, turns, lang):
    """Voice timing: speech rate per language, normal gaps, holds (silence) and talk-over."""
    out, prev_start, prev_end = [], 0, 0

    def hold(text):  # the agent puts the customer on hold to look something up
        return ("稍等" in text or "稍候" in text or text.startswith("Let me check")
                or ("查一下" in text and "……" not in text and text.endswith("。")))
    for i, (speaker, text, flags) in enumerate(turns):
        per_char = 65 if lang == "en" else 230
        dur = int(len(text) * per_char * r.uniform(0.85, 1.2)) + 300
        if i == 0:
            start = r.randint(200, 900)
        elif speaker != turns[i - 1][0] and ("interrupt" in flags or r.random() < 0.05):
            # Talk-over: starts before the previous turn has finished.
            start = prev_start + int((prev_end - prev_start) * r.uniform(0.55, 0.85))
        elif turns[i - 1][0] == "agent" and hold(turns[i - 1][1]):
            start = prev_end + r.randint(8000, 40000)  # on hold while the agent looks it up
        elif r.random() < 0.04:
            start = prev_end + r.randint(6000, 15000)  # the customer goes quiet
        else:
            start = prev_end + r.randint(250, 1400)
        end = start + dur
        out.append({"speaker": speaker, "text": text, "start_ms": start, "end_ms": end})
        prev_start, prev_end = start, max(end, prev_end)
    return out, prev_end


def rfc3339(dt):
    return dt.isoformat(timespec="seconds")


def random_start(r):
    day = END - timedelta(days=r.randint(1, 30))
    hour = r.choices(range(8, 23), weights=[3, 6, 8, 8, 6, 5, 7, 8, 7, 6, 6, 6, 5, 4, 2])[0]
    return day.replace(hour=hour, minute=r.randint(0, 59), second=r.randint(0, 59))


# ---------------------------------------------------------------- history: every leaf, varied wording

# The history conversations come after the scripted ones (DEMO-0301 on) and fall in the six months
# before them. They are drawn from their own random sequence, so the scripted 300 stay as they were.
HISTORY = 1700
HISTORY_SEED = 2026
HELDOUT = 200


def wording_bank(block=None):
    """leaf → (phrases the demo uses, the held-out phrase), from wording.LEAVES and wording.MORE_LEAVES
    (or from another block)."""
    bank = {}
    for line in (block or wording.LEAVES).strip().splitlines():
        code, *phrases = [p.strip() for p in line.split(" ~ ")]
        bank[code] = ([p for p in phrases if not p.startswith("@")], [p[1:] for p in phrases if p.startswith("@")][0])
    if block is None:
        for line in wording.MORE_LEAVES.strip().splitlines():
            code, *phrases = [p.strip() for p in line.split(" ~ ")]
            assert code in bank and not any(p.startswith("@") for p in phrases), line
            bank[code][0].extend(phrases)
    return bank


def split(items, held_from, held):
    return items[held_from:] if held else items[:held_from]


def traditional(text):
    return "".join(wording.TRADITIONAL.get(ch, ch) for ch in text)


def misspell(r, text, held):
    """One or two same-sound misspellings, from the demo's half of the list or the held-out half."""
    typos = split(wording.TYPOS, wording.HELD_TYPOS_FROM, held)
    found = [t for t in typos if t[0] in text]
    for right, wrong in r.sample(found, min(len(found), r.choice([1, 1, 2]))):
        text = text.replace(right, wrong, 1)
    return text


def reword(r, text):
    """An everyday word or two said another way (咋 for 怎么, 啥 for 什么)."""
    found = [s for s in wording.SYNONYMS if s[0] in text]
    for word, other in r.sample(found, min(len(found), r.choice([1, 2]))):
        if word in text:
            text = text.replace(word, other, 1)
    return text


def mix_english(r, text):
    """A word or two said in English, as customers do ("我的 data 用完了")."""
    found = [w for w in wording.ENGLISH if w[0] in text]
    for zh, en in r.sample(found, min(len(found), r.choice([1, 2]))):
        text = text.replace(zh, " %s " % en, 1)
    return " ".join(text.split()).replace(" ，", "，").replace(" ？", "？")


def lower_first(text):
    """"Can you…" → "can you…", but "I…", "SIM…" and "5G…" stay as they are."""
    word = text.split(" ")[0]
    return text if word == "I" or word.startswith("I'") or word[1:2].isupper() else text[0].lower() + text[1:]


def utterance(r, phrase, held, wording_kind, lang="zh"):
    """A customer's request in their own words: an opener, the phrase, a closer, then the wording's twist."""
    if lang == "en":
        opener = r.choice(split(wording.EN_OPENERS, wording.EN_HELD_FROM, held))
        closer = r.choice(split(wording.EN_CLOSERS, wording.EN_HELD_FROM, held))
        text = opener + (lower_first(phrase) if opener else phrase[0].upper() + phrase[1:]) + closer
        return text.lower() if wording_kind == "colloquial" else text
    if not held and r.random() < 0.5:
        phrase = reword(r, phrase)
    opener = r.choice(split(wording.OPENERS, wording.HELD_FROM["OPENERS"], held))
    closer = r.choice(split(wording.CLOSERS, wording.HELD_FROM["CLOSERS"], held))
    text = opener + phrase + closer
    if wording_kind == "typo":
        text = misspell(r, text, held)
    elif wording_kind == "mixed":
        text = mix_english(r, text)
    elif wording_kind == "colloquial" and r.random() < 0.5:
        text = text + r.choice(["，真是的", "，搞什么啊", "，服了"] if not held else ["，无语", "，离谱"])
    return text


# The agent's and the customer's other turns in a history conversation, per language ("zh" serves
# zh-Hant too, converted).
HISTORY_TURNS = {
    "zh": dict(
        ack=["好的，我帮您查一下。", "明白，请稍等，我看一下您的情况。", "收到，我这边帮您核实一下。",
             "好的，您别着急，我马上帮您看。", "了解，我先帮您查询一下相关记录。"],
        ask=["请问是您现在来电的这个号码吗？", "方便说一下具体是什么时候开始的吗？", "请问还有别的情况需要补充吗？",
             "麻烦您再具体说一下情况。"],
        detail=["对，就是这个号码。", "就{when}开始的。", "是的，没别的了。", "就是我刚才说的，{again}",
                "嗯，{again}", "说白了就是{again}", "我再说一遍，{again}"],
        done=["好的，关于{name}的问题，我已经帮您登记了，{team}会在 24 小时内处理并联系您。",
              "明白了，这个属于{name}，我这边已经记录下来，单号 {ticket_no}，处理好会短信通知您。",
              "您的{name}问题已经为您受理，相关同事会尽快跟进，请保持电话畅通。",
              "好的，{name}这个我帮您处理好了，您稍后留意一下短信。"],
        more=["对了，还有个事，", "另外，", "还有啊，", "顺便问一下，"],
        more_done=["这个我也帮您记下了，会一并处理。", "好的，这个问题我也一起帮您登记。", "了解，这个我也同步转给相关同事。"],
        thanks=["好的，谢谢。", "行，那我等消息。", "好，麻烦你了。", "嗯嗯，知道了。", "那就这样吧。", "OK，谢谢啊。"],
        both="。"),
    "en": dict(
        ack=["Sure, let me check that for you.", "I understand, one moment while I look into it.",
             "Thanks for explaining, let me pull up your account."],
        ask=["Is it the number you're calling from?", "When did this start?", "Is there anything else I should know?"],
        detail=["Yes, this number.", "It started {when_en}.", "No, that's everything.", "Like I said, {again}",
                "Basically, {again}"],
        done=["Thanks. I've logged this as {name_en} and our {team_en} team will follow up within 24 hours.",
              "All right, I've raised a request for {name_en}, reference {ticket_no}. You'll get an SMS when it's done.",
              "I've taken care of the {name_en} request for you; please keep your phone on."],
        more=["Oh, and one more thing: ", "Also, ", "By the way, "],
        more_done=["I've noted that as well and we'll handle it together.", "Sure, I've added that to the request too."],
        thanks=["OK, thanks.", "Great, I'll wait.", "Alright, thank you.", "Got it."],
        both=". "),
}


HISTORY_TITLES = ["{name}", "客户咨询{name}", "{parent}：{name}", "{name}问题处理", "{name}（{parent}）"]


def topic(taxonomy, code):
    """How an agent names a leaf: its name, with its parent's when the name alone is too short to say."""
    node = taxonomy[code]
    name = node["name_zh"]
    return "%s（%s）" % (taxonomy[node["parent"]]["name_zh"], name) if len(name) <= 3 else name


def history(taxonomy, team_of, dispatch, first_number):
    """Conversations over every leaf of the taxonomy, in varied wording, with their tickets."""
    r = random.Random(HISTORY_SEED)
    with open(os.path.join(HERE, "teams.csv"), encoding="utf-8", newline="") as f:
        teams = list(csv.DictReader(f))
    team_names = {row["code"]: row["name_zh"] for row in teams}
    team_names_en = {row["code"]: row["name_en"] for row in teams}
    bank = wording_bank()
    english = wording_bank(wording.ENGLISH_LEAVES)
    leaves = sorted(bank)
    customers = ["%s****%04d" % (r.choice(["130", "133", "151", "153", "177", "180", "186", "189", "191", "198"]),
                                 r.randint(0, 9999)) for _ in range(1500)]
    order = []
    while len(order) < HISTORY:  # every leaf about as often as every other
        round_ = leaves[:]
        r.shuffle(round_)
        order += round_
    convs = []
    for code in order[:HISTORY]:
        x = r.random()
        lang = "en" if code in english and x < 0.3 else "zh-Hant" if x > 0.85 else "zh"
        kind = r.choices(["plain", "colloquial", "typo", "mixed"], weights=[4, 3, 2, 2])[0]
        if lang != "zh" and kind in ("typo", "mixed"):
            kind = "plain"
        agent = r.choice(AGENTS)
        slots = Slots(r)
        slots["agent"] = agent
        slots["agent_no"] = "8%03d" % (int(agent[5:]) * 7 + 100)
        slots["queue_pos"] = str(r.randint(1, 9))
        node = taxonomy[code]
        team = team_of(code)
        slots["name"] = topic(taxonomy, code)
        slots["team"] = team_names[team]
        slots["name_en"] = lower_first(node["name_en"])
        slots["team_en"] = team_names_en[team]
        slots["when_en"] = r.choice(["yesterday", "this morning", "a few days ago", "last night"])
        phrases = (english if lang == "en" else bank)[code][0]
        first, again = r.sample(phrases, 2)
        slots["again"] = lower_first(again) if lang == "en" else again
        other = None
        if r.random() < 0.2:  # the customer brings a second request; the ticket carries the first
            others = sorted(english) if lang == "en" else leaves
            other = r.choice([c for c in others if c.split(".")[0] != code.split(".")[0] or r.random() < 0.3])
        channel = "chat" if r.random() < 0.6 else "voice"
        b = BLOCKS[lang]
        said = HISTORY_TURNS["en" if lang == "en" else "zh"]
        turns = []
        if channel == "chat" and r.random() < 0.4:
            turns.append(("system", pick(r, b["system_chat"], slots), ()))
        turns.append(("agent", pick(r, b["greet_" + channel], slots), ()))
        opening = utterance(r, first, False, kind, lang)
        second_request = None
        if other:
            second = r.choice((english if lang == "en" else bank)[other][0])
            second_request = r.choice(said["more"]) + (lower_first(second) if lang == "en" else second)
            if r.random() < 0.4:  # both at once
                opening += said["both"] + second_request
                second_request = None
        turns.append(("customer", opening, ()))
        turns.append(("agent", r.choice(said["ack"]) + " " * (lang == "en") + r.choice(said["ask"]), ()))
        turns.append(("customer", pick(r, [r.choice(said["detail"])], slots), ()))
        if r.random() < 0.55:
            turns += expand(r, r.choice(b["verify"]), slots)
        turns.append(("agent", pick(r, said["done"], slots), ()))
        if second_request:
            turns.append(("customer", second_request, ()))
            turns.append(("agent", r.choice(said["more_done"]), ()))
        turns.append(("customer", r.choice(said["thanks"]), ()))
        turns += expand(r, r.choice(b["close"]), slots)
        if lang == "zh-Hant":
            turns = [(sp, traditional(t), f) for sp, t, f in turns]
        assert 6 <= len(turns) <= 20, (code, len(turns))
        day = END - timedelta(days=r.randint(31, 210))
        started = day.replace(hour=r.randint(8, 22), minute=r.randint(0, 59), second=r.randint(0, 59))
        convs.append(dict(code=code, lang=lang, channel=channel, turns=turns, slots=slots, agent=agent,
                          customer=r.choice(customers), started=started, other=other, first=first, team=team))
    convs.sort(key=lambda c: c["started"])

    lines, tickets = [], []
    for n, c in enumerate(convs, first_number + 1):
        ext = "DEMO-%04d" % n
        if c["channel"] == "voice":
            turns, length = timed(r, c["turns"], c["lang"])
            ended = c["started"] + timedelta(milliseconds=length + r.randint(1000, 3000))
        else:
            turns = [{"speaker": sp, "text": t} for sp, t, _ in c["turns"]]
            ended = c["started"] + timedelta(seconds=sum(r.randint(10, 70) for _ in turns))
        resolved = r.random() < 0.75
        attributes = {"category": c["code"]}
        if r.random() < 0.85:
            attributes["satisfaction"] = r.choice([3, 4, 4, 5, 5, 5]) if resolved else r.choice([1, 2, 2, 3, 3, 4])
        attributes["resolved"] = resolved
        conv = {"external_id": ext, "channel": c["channel"], "queue": QUEUES[c["code"].split(".")[0]],
                "agent": c["agent"], "customer_id": c["customer"], "language": c["lang"],
                "started_at": rfc3339(c["started"]), "ended_at": rfc3339(ended), "attributes": attributes,
                "turns": turns}
        lines.append(json.dumps(conv, ensure_ascii=False, separators=(",", ":")))

        node = taxonomy[c["code"]]
        parent = taxonomy[node["parent"]]["name_zh"]
        title = r.choice(HISTORY_TITLES).format(name=node["name_zh"], parent=parent)
        if title.count("咨询") > 1:  # "客户咨询初装费咨询"
            title = node["name_zh"]
        body = "客户反映：%s。已按%s受理，转%s跟进。" % (c["first"], topic(taxonomy, c["code"]), team_names[c["team"]])
        if c["other"]:
            body += "客户另咨询%s，已一并记录。" % taxonomy[c["other"]]["name_zh"]
        if c["code"].startswith("CMP.ESCALATE"):
            priority = "urgent" if c["code"] != "CMP.ESCALATE.REPEAT" else "high"
        elif c["code"].startswith("CMP.") or c["code"].startswith("ENT.LINE.FAULT"):
            priority = "high"
        else:
            priority = r.choice(["normal"] * 6 + ["low", "high"])
        assert c["team"] in dispatch, (c["code"], c["team"])
        assert len(title) <= 30, title
        tickets.append([ext, title, body, c["code"], c["team"], priority])
    return lines, tickets


# The queue a domain's calls come in on (value-added services and general enquiries share the mobile one).
QUEUES = {"BB": "broadband", "MOB": "mobile", "BILL": "billing", "CARD": "cards", "ROAM": "roaming",
          "CMP": "complaints", "VAS": "mobile", "ENT": "enterprise", "GEN": "mobile"}


def heldout(taxonomy):
    """HELDOUT customer utterances the demo never uses: each leaf's held-out phrase in held-out words."""
    r = random.Random(HISTORY_SEED + 1)
    bank = wording_bank()
    english = wording_bank(wording.ENGLISH_LEAVES)
    codes = sorted(r.sample(sorted(bank), HELDOUT))
    rows = []
    for code in codes:
        kind = r.choices(["plain", "colloquial", "typo", "mixed", "traditional", "two requests", "english"],
                         weights=[4, 2, 2, 2, 2, 1, 3 if code in english else 0])[0]
        if kind == "english":
            rows.append([utterance(r, english[code][1], True, r.choice(["plain", "colloquial"]), "en"), code, kind])
            continue
        text = utterance(r, bank[code][1], True, kind if kind in ("colloquial", "typo", "mixed") else "plain")
        if kind == "traditional":
            text = traditional(text)
        elif kind == "two requests":
            other = r.choice([c for c in sorted(bank) if c.split(".")[0] != code.split(".")[0]])
            text += "。还有，" + bank[other][1]
        rows.append([text, code, kind])
    return rows


def main():
    taxonomy = {}
    with open(os.path.join(HERE, "taxonomy.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            taxonomy[row["code"]] = row
    with open(os.path.join(HERE, "teams.csv"), encoding="utf-8", newline="") as f:
        dispatch = {row["code"] for row in csv.DictReader(f) if row["dispatch"] == "true"}
    parents = {row["parent"] for row in taxonomy.values()}

    def team_of(code):  # the team set on the node or its nearest ancestor
        while code:
            if taxonomy[code]["team"]:
                return taxonomy[code]["team"]
            code = taxonomy[code]["parent"]
        raise ValueError("no team")

    for s in S:
        assert s["cat"] in taxonomy and s["cat"] not in parents, s["key"]
    langs = {"zh": [s for s in S if s["lang"] == "zh"], "en": [s for s in S if s["lang"] == "en"],
             "zh-Hant": [s for s in S if s["lang"] == "zh-Hant"]}
    customers = ["%s****%04d" % (rng.choice(["138", "139", "135", "150", "158", "182", "187", "188", "195", "199", "176"]),
                                 rng.randint(0, 9999)) for _ in range(240)]

    convs = []
    for _ in range(COUNT):
        x = rng.random()
        lang = "en" if x < 0.10 else "zh-Hant" if x < 0.15 else "zh"
        pool = langs[lang]
        s = rng.choices(pool, weights=[p["weight"] for p in pool])[0]
        agent = rng.choice(AGENTS)
        c = compose(rng, s, agent)
        c["agent"] = agent
        c["customer"] = rng.choice(customers)
        c["started"] = random_start(rng)
        c["labelled"] = rng.random() < 0.93  # a few are left without a category for the demo to classify
        convs.append(c)
    convs.sort(key=lambda c: c["started"])

    lines, tickets = [], []
    recorded = 0  # the first voice calls come with a recording `seatmate demo` synthesises
    for n, c in enumerate(convs, 1):
        s, slots = c["scenario"], c["slots"]
        ext = "DEMO-%04d" % n
        if c["channel"] == "voice":
            turns, length = timed(rng, c["turns"], c["lang"])
            # At least a second after the last turn, so it stays after it once cut to whole seconds.
            ended = c["started"] + timedelta(milliseconds=length + rng.randint(1000, 3000))
        else:
            turns = [{"speaker": sp, "text": t} for sp, t, _ in c["turns"]]
            ended = c["started"] + timedelta(seconds=sum(rng.randint(10, 70) for _ in turns))
        category = s["cat"]
        if c["escalate"]:
            category = "CMP.ESCALATE.REGULATOR" if c["regulator"] else "CMP.ESCALATE.SUPERVISOR"
        attributes = {}
        if c["labelled"]:
            attributes["category"] = category
        if rng.random() < 0.85:  # not every customer answers the survey
            attributes["satisfaction"] = c["sat"]
        attributes["resolved"] = c["resolved"]
        conv = {"external_id": ext, "channel": c["channel"], "queue": s["queue"], "agent": c["agent"],
                "customer_id": c["customer"], "language": c["lang"], "started_at": rfc3339(c["started"]),
                "ended_at": rfc3339(ended), "attributes": attributes, "turns": turns}
        if c["channel"] == "voice" and recorded < RECORDED_CALLS:
            conv["audio_ref"] = "demo/%s.wav" % ext
            recorded += 1
        lines.append(json.dumps(conv, ensure_ascii=False, separators=(",", ":")))

        if not c["labelled"]:
            continue
        title = rng.choice(s["title"]).format_map(slots)
        body = rng.choice(s["summary"]).format_map(slots)
        priority = s["prio"]
        if c["escalate"]:
            title = ("客户扬言申诉：" if c["regulator"] else "要求主管回电：") + title
            body += "客户情绪激动，要求升级处理，已登记投诉。"
            priority = "urgent" if c["regulator"] else "high"
        elif c["forbidden"]:
            body += "通话中坐席用语不当，客户不满。"
        elif c["sales_yes"] and not any("{sales_result}" in x for x in s["summary"]):
            body += "通话中进行了套餐推荐，客户有办理意向。"
        team = team_of(category)
        assert team in dispatch, (category, team)
        assert len(title) <= 30, title
        tickets.append([ext, title, body, category, team, priority])

    history_lines, history_tickets = history(taxonomy, team_of, dispatch, len(lines))
    lines += history_lines
    tickets += history_tickets
    heldout_rows = heldout(taxonomy)

    with open(os.path.join(HERE, "conversations.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(HERE, "tickets.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["conversation", "title", "body", "category", "team", "priority"])
        w.writerows(tickets)
    with open(os.path.join(HERE, "heldout.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["text", "category", "wording"])
        w.writerows(heldout_rows)
    print("%d conversations, %d tickets, %d scenarios, %d held-out utterances"
          % (len(lines), len(tickets), len(S), len(heldout_rows)))


if __name__ == "__main__":
    main()
