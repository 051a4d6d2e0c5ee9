package org.govind.rules;

import java.util.List;

/**
 * A rules file that cannot be used. The message has one line per problem; each line names the file
 * and the dotted key (e.g. {@code compound_stars.weights.branch}) in English and Chinese.
 */
public class RulesException extends IllegalArgumentException {
    private final List<String> problems;

    public RulesException(String message) {
        this(List.of(message));
    }

    public RulesException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** The problems, one bilingual line each, in the order they were found. */
    public List<String> problems() { return problems; }

    /**
     * One bilingual problem line: {@code rules file F: <en> / 规则文件 F：<zh>}. The arguments are
     * Chinese first, like {@code Lang.t(zh, en)} everywhere else; the line itself reads English first.
     */
    static String line(String source, String zh, String en) {
        return "rules file " + source + ": " + en + " / 规则文件 " + source + "：" + zh;
    }
}
