package io.tcpsim.drill;

/**
 * Splits a script (after {@link Preprocessor}) into {@link Token}s: {@code //} and {@code /* *}{@code /}
 * comments and whitespace, newlines included, separate tokens and are otherwise ignored. The
 * parser reads a few things raw instead: packet flags ({@link #rawWord}) and the free text after
 * a system call's result ({@link #rawParenthesized}).
 */
final class Lexer {
    private static final String PUNCTUATION = "<>()[]{},=:|+-*.~!&/";

    private final String file;
    private final String text;
    private int pos;
    private int line = 1;
    private Token peeked;
    private int peekedPos;
    private int peekedLine;

    Lexer(String file, String text) {
        this.file = file;
        this.text = text;
    }

    ScriptException error(int atLine, String message) {
        return new ScriptException(file, atLine, message);
    }

    String file() {
        return file;
    }

    Token peek() {
        if (peeked == null) {
            skipBlanks();
            peekedPos = pos;
            peekedLine = line;
            peeked = scan();
        }
        return peeked;
    }

    Token next() {
        Token t = peek();
        peeked = null;
        return t;
    }

    /** The next token, which must be the punctuation {@code p}. */
    Token expect(String p) {
        Token t = next();
        if (!t.is(p)) {
            throw error(t.line(), "expected '" + p + "' but found " + t);
        }
        return t;
    }

    /** True, and consumed, when the next token is the punctuation {@code p}. */
    boolean accept(String p) {
        if (peek().is(p)) {
            next();
            return true;
        }
        return false;
    }

    /** The next run of non-blank characters, taken as it is (packet flags: "S.", "-", "FP."). */
    String rawWord() {
        unpeek();
        skipBlanks();
        int start = pos;
        while (pos < text.length() && !Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    /** After an opening parenthesis: the text up to its matching one, which is consumed. */
    String rawParenthesized(int startLine) {
        unpeek();
        int depth = 1;
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '\n') {
                line++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return text.substring(start, pos - 1).trim();
            }
        }
        throw error(startLine, "unclosed '('");
    }

    /** The line the next token starts on. */
    int line() {
        return peek().line();
    }

    private void unpeek() {
        if (peeked != null) {
            pos = peekedPos;
            line = peekedLine;
            peeked = null;
        }
    }

    private void skipBlanks() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                line++;
                pos++;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (text.startsWith("//", pos)) {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (text.startsWith("/*", pos)) {
                int end = text.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw error(line, "unclosed comment");
                }
                line += count(text.substring(pos, end), '\n');
                pos = end + 2;
            } else {
                return;
            }
        }
    }

    private Token scan() {
        if (pos >= text.length()) {
            return new Token(Token.Kind.END, "", line);
        }
        int startLine = line;
        char c = text.charAt(pos);
        if (c == '`') {
            return delimited("`", Token.Kind.SHELL, 1, startLine, "unclosed shell command");
        } else if (text.startsWith("%{", pos)) {
            return delimited("}%", Token.Kind.CODE, 2, startLine, "unclosed %{ block");
        } else if (c == '"') {
            return delimited("\"", Token.Kind.STRING, 1, startLine, "unclosed string");
        } else if (text.startsWith("...", pos)) {
            pos += 3;
            return new Token(Token.Kind.ELLIPSIS, "...", startLine);
        } else if (text.startsWith("--", pos) && pos + 2 < text.length() && Character.isLetter(text.charAt(pos + 2))) {
            int start = pos + 2;
            while (pos < text.length() && !Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
            return new Token(Token.Kind.OPTION, text.substring(start, pos), startLine);
        } else if (Character.isDigit(c) || (c == '.' && digitAt(pos + 1))) {
            return number(startLine);
        } else if (Character.isLetter(c) || c == '_') {
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                pos++;
            }
            return new Token(Token.Kind.NAME, text.substring(start, pos), startLine);
        } else if (PUNCTUATION.indexOf(c) >= 0) {
            pos++;
            return new Token(Token.Kind.PUNCT, String.valueOf(c), startLine);
        }
        throw error(startLine, "unexpected character '" + c + "'");
    }

    private Token delimited(String close, Token.Kind kind, int openLength, int startLine, String unclosed) {
        int start = pos + openLength;
        int end = text.indexOf(close, start);
        if (end < 0) {
            throw error(startLine, unclosed);
        }
        String body = text.substring(start, end);
        line += count(body, '\n');
        pos = end + close.length();
        return new Token(kind, body, startLine);
    }

    /** Decimal (with at most one point followed by a digit) or hexadecimal digits. */
    private Token number(int startLine) {
        int start = pos;
        if (text.startsWith("0x", pos) || text.startsWith("0X", pos)) {
            pos += 2;
            while (pos < text.length() && Character.digit(text.charAt(pos), 16) >= 0) {
                pos++;
            }
            return new Token(Token.Kind.NUMBER, text.substring(start, pos), startLine);
        }
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        if (pos < text.length() && text.charAt(pos) == '.' && digitAt(pos + 1)) {
            pos++;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
        }
        return new Token(Token.Kind.NUMBER, text.substring(start, pos), startLine);
    }

    private boolean digitAt(int i) {
        return i < text.length() && Character.isDigit(text.charAt(i));
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }
}
