package hongbao.domain;

/** WeChat's hb_type: a sendredpack packet (one receiver) or a sendgroupredpack fission packet (a group of shares). */
public enum HbType {
    NORMAL,
    GROUP
}
