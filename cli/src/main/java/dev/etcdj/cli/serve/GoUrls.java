package dev.etcdj.cli.serve;

import java.util.regex.Pattern;

/** The checks of etcd's types.NewURLs and embed's checkBindURLs/checkHostURLs, with their messages. */
final class GoUrls {

    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");

    private GoUrls() {}

    /** One URL as types.NewURLs accepts it (scheme http/https/unix/unixs, host:port, no path). */
    static String check(String in) throws FlagValues.BadValue {
        int colon = in.indexOf(':');
        String scheme = colon > 0 && SCHEME.matcher(in.substring(0, colon)).matches() ? in.substring(0, colon) : "";
        if (colon == 0) {
            throw new FlagValues.BadValue("parse " + dev.etcdj.cli.GoValues.quote(in) + ": missing protocol scheme");
        }
        int slash = in.indexOf('/');
        if (scheme.isEmpty() && colon > 0 && (slash < 0 || colon < slash)) {
            throw new FlagValues.BadValue("parse " + dev.etcdj.cli.GoValues.quote(in) + ": first path segment in URL cannot contain colon");
        }
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("unix") && !scheme.equals("unixs")) {
            throw new FlagValues.BadValue("URL scheme must be http, https, unix, or unixs: " + in);
        }
        String rest = in.substring(colon + 1);
        String host = "";
        String path = rest;
        if (rest.startsWith("//")) {
            int end = rest.length();
            for (char c : new char[] {'/', '?', '#'}) {
                int i = rest.indexOf(c, 2);
                if (i >= 0 && i < end) {
                    end = i;
                }
            }
            host = rest.substring(2, end);
            path = rest.substring(end);
            int q = path.indexOf('?');
            path = q >= 0 ? path.substring(0, q) : path;
            int h = path.indexOf('#');
            path = h >= 0 ? path.substring(0, h) : path;
        }
        int at = host.lastIndexOf('@');
        if (splitHostPort(at >= 0 ? host.substring(at + 1) : host) == null) {
            throw new FlagValues.BadValue("URL address does not have the form \"host:port\": " + in);
        }
        if (!path.isEmpty()) {
            throw new FlagValues.BadValue("URL must not contain a path: " + in);
        }
        return in;
    }

    /** Go's net.SplitHostPort: {host, port}, or null when it would fail. */
    static String[] splitHostPort(String hostport) {
        if (hostport.startsWith("[")) {
            int end = hostport.indexOf(']');
            if (end < 0 || end + 1 >= hostport.length() || hostport.charAt(end + 1) != ':') {
                return null;
            }
            String port = hostport.substring(end + 2);
            return port.contains(":") ? null : new String[] {hostport.substring(1, end), port};
        }
        int last = hostport.lastIndexOf(':');
        if (last < 0 || hostport.indexOf(':') != last) {
            return null;
        }
        return new String[] {hostport.substring(0, last), hostport.substring(last + 1)};
    }

    /** The host:port of an already checked URL. */
    static String[] hostPort(String url) {
        int s = url.indexOf("//");
        String host = s < 0 ? "" : url.substring(s + 2);
        return splitHostPort(host);
    }

    /** embed's checkBindURLs: a listen URL names an IP address (or localhost), not a host name. */
    static String checkBind(String url) {
        if (url.startsWith("unix:") || url.startsWith("unixs:")) {
            return null;
        }
        String[] hp = hostPort(url);
        String host = hp[0];
        if (host.equals("localhost") || isIp(host)) {
            return null;
        }
        return "expected IP in URL for binding (" + url + ")";
    }

    /** embed's checkHostURLs: an advertised URL has a host. */
    static String checkHost(String url) {
        String[] hp = hostPort(url);
        return hp[0].isEmpty() ? "unexpected empty host (" + url + ")" : null;
    }

    static boolean isIp(String host) {
        if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            for (String p : host.split("\\.")) {
                if (Integer.parseInt(p) > 255) {
                    return false;
                }
            }
            return true;
        }
        return host.contains(":") && host.matches("[0-9A-Fa-f:.]+");
    }
}
