package org.zmq4j;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A node of a ZPL tree (rfc-4): a name, a value ("" when none) and children. Just enough ZPL
 * for certificates: hierarchy by indentation, comments, quoted and unquoted values.
 */
final class Zpl {
    private static final String NAME_PUNCTUATION = "$-_@.&+/";
    final String name;
    final String value;
    final List<Zpl> children = new ArrayList<>();
    final int indent;

    private Zpl(String name, String value, int indent) {
        this.name = name;
        this.value = value;
        this.indent = indent;
    }

    Zpl child(String childName) {
        for (Zpl c : children) {
            if (c.name.equals(childName)) {
                return c;
            }
        }
        return null;
    }

    static boolean isName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isNameChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNameChar(char c) {
        return (c < 128 && Character.isLetterOrDigit(c)) || NAME_PUNCTUATION.indexOf(c) >= 0;
    }

    static Zpl parse(String text) {
        Zpl root = new Zpl("root", "", -1);
        List<Zpl> path = new ArrayList<>(List.of(root)); // the open ancestors, root first
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int number = 1; number <= lines.length; number++) {
            String line = lines[number - 1];
            int indent = 0;
            int i = 0;
            while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                indent += line.charAt(i) == '\t' ? 4 - indent % 4 : 1;
                i++;
            }
            if (i == line.length() || line.charAt(i) == '#') {
                continue; // blank line or comment
            }
            int nameStart = i;
            while (i < line.length() && isNameChar(line.charAt(i))) {
                i++;
            }
            if (i == nameStart) {
                throw syntax(number, "expected a name, found '" + line.charAt(i) + "'");
            }
            String name = line.substring(nameStart, i);
            i = skipBlanks(line, i);
            String value = "";
            if (i < line.length() && line.charAt(i) == '=') {
                value = value(line, skipBlanks(line, i + 1), number);
            } else if (i < line.length() && line.charAt(i) != '#') {
                throw syntax(number, "expected '=' or the end of the line after '" + name + "'");
            }
            // a deeper line is a child of the line before; otherwise close siblings and deeper levels
            while (path.size() > 1 && path.get(path.size() - 1).indent >= indent) {
                path.remove(path.size() - 1);
            }
            Zpl node = new Zpl(name, value, indent);
            path.get(path.size() - 1).children.add(node);
            path.add(node);
        }
        return root;
    }

    private static String value(String line, int i, int number) {
        if (i >= line.length() || line.charAt(i) == '#') {
            return "";
        }
        char first = line.charAt(i);
        if (first == '"' || first == '\'') {
            int end = line.indexOf(first, i + 1);
            if (end < 0) {
                throw syntax(number, "value has no closing " + first);
            }
            int rest = skipBlanks(line, end + 1);
            if (rest < line.length() && line.charAt(rest) != '#') {
                throw syntax(number, "unexpected text after the quoted value");
            }
            return line.substring(i + 1, end);
        }
        int comment = line.indexOf('#', i);
        return (comment < 0 ? line.substring(i) : line.substring(i, comment)).strip();
    }

    private static int skipBlanks(String line, int i) {
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static ZmqException syntax(int line, String problem) {
        return new ZmqException(ZmqException.Errno.EINVAL, "line " + line + ": " + problem);
    }

    /**
     * A certificate as CZMQ writes it: a comment header, the metadata, the curve keys.
     *
     * @param metadata  the certificate's metadata
     * @param publicZ85 the public key in Z85
     * @param secretZ85 the secret key in Z85, or null for a public certificate
     * @return the ZPL text
     */
    static String certificateText(java.util.Map<String, String> metadata, String publicZ85, String secretZ85) {
        boolean withSecret = secretZ85 != null;
        String when = LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
        StringBuilder b = new StringBuilder();
        if (withSecret) {
            b.append("#   ZeroMQ CURVE **Secret** Certificate, written by zmq4j on ").append(when).append('\n');
            b.append("#   Keep this file private: whoever reads it can act as its owner.\n");
        } else {
            b.append("#   ZeroMQ CURVE Public Certificate, written by zmq4j on ").append(when).append('\n');
            b.append("#   Give it to the peers that should know this key; check it arrived unchanged.\n");
        }
        b.append('\n').append("metadata").append('\n');
        metadata.forEach((name, value) -> b.append("    ").append(name).append(" = ").append(quote(value)).append('\n'));
        b.append("curve").append('\n');
        b.append("    ").append("public-key").append(" = \"").append(publicZ85).append("\"\n");
        if (withSecret) {
            b.append("    ").append("secret-key").append(" = \"").append(secretZ85).append("\"\n");
        }
        return b.toString();
    }

    private static String quote(String value) {
        if (value.indexOf('"') < 0) {
            return "\"" + value + "\"";
        }
        // only an unquoted value read from a file holds both quotes; it has no '#' and no outer blanks
        return value.indexOf('\'') < 0 ? "'" + value + "'" : value;
    }
}
