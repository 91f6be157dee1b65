package io.tcpsim.drill;

/**
 * One lexical token of a script, with the line it starts on.
 *
 * @param kind what it is
 * @param text its text: a number's digits, a name, a string's content, a shell command, the code
 *             of a {@code %{ }%} block, one punctuation character, or "..."
 */
record Token(Kind kind, String text, int line) {

    enum Kind { NUMBER, NAME, STRING, SHELL, CODE, OPTION, PUNCT, ELLIPSIS, END }

    boolean is(String punct) {
        return (kind == Kind.PUNCT || kind == Kind.ELLIPSIS) && text.equals(punct);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case END -> "end of file";
            case STRING -> "\"" + text + "\"";
            case SHELL -> "`" + text + "`";
            case CODE -> "%{" + text + "}%";
            default -> "'" + text + "'";
        };
    }
}
