package org.zmq4j.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace made for one test and joined to this one by a veth pair: this side's end
 * has {@link #hereAddress()}, the namespace's end {@link #thereAddress()}, one /24 between them.
 * {@link #loss} drops a share of what either end sends. Processes run in the namespace
 * with {@link #inside}. {@link #close()} deletes the namespace, which deletes both ends.
 * <p>
 * Needs root, iproute2 and nftables: the test is skipped without them, and fails under {@code CI=1}
 * ({@code .ci/run} runs as root).
 */
public final class VethPair implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String namespace;
    private final String here;
    private final String there;
    private final String subnet;
    /** The nftables table made in this namespace for {@link #loss}, or null. */
    private String rootTable;

    private VethPair(String namespace, String here, String there, String subnet) {
        this.namespace = namespace;
        this.here = here;
        this.there = there;
        this.subnet = subnet;
    }

    /**
     * Creates the namespace and the pair, both ends up.
     *
     * @return the pair
     */
    public static VethPair create() {
        boolean usable = "root".equals(System.getProperty("user.name")) && run(List.of("ip", "-V"), false) == 0
                && run(List.of("nft", "--version"), false) == 0;
        if (System.getenv("CI") != null && !usable) {
            throw new AssertionError("network namespace tests need root, iproute2 (ip) and nftables (nft) under CI");
        }
        assumeTrue(usable, "needs root, iproute2 and nftables to make a lossy network namespace");
        String tag = Integer.toHexString(0x10000 + RANDOM.nextInt(0xEFFFF));
        String subnet = "10.233." + (1 + RANDOM.nextInt(250));
        VethPair p = new VethPair("zq" + tag, "zqa" + tag, "zqb" + tag, subnet);
        try {
            p.must("ip", "netns", "add", p.namespace);
            p.must("ip", "link", "add", p.here, "type", "veth", "peer", "name", p.there);
            p.must("ip", "link", "set", p.there, "netns", p.namespace);
            p.must("ip", "addr", "add", p.hereAddress() + "/24", "dev", p.here);
            p.must("ip", "link", "set", p.here, "up");
            p.must("ip", "netns", "exec", p.namespace, "ip", "addr", "add", p.thereAddress() + "/24", "dev", p.there);
            p.must("ip", "netns", "exec", p.namespace, "ip", "link", "set", p.there, "up");
            p.must("ip", "netns", "exec", p.namespace, "ip", "link", "set", "lo", "up");
            return p;
        } catch (RuntimeException | Error e) {
            p.close();
            throw e;
        }
    }

    /** This side's interface name. */
    public String hereInterface() {
        return here;
    }

    /** This side's address. */
    public String hereAddress() {
        return subnet + ".1";
    }

    /** The namespace's address. */
    public String thereAddress() {
        return subnet + ".2";
    }

    /**
     * Drops a share of the packets sent from one end, at random, where the other end receives them
     * (an nftables rule on its input: the sender sees no error, as on a lossy link). This kernel
     * has no {@code tc netem}, so nftables' {@code numgen random} stands in for it.
     *
     * @param fromHere the packets this side sends (else those the namespace sends)
     * @param percent  the share lost, e.g. 10
     */
    public void loss(boolean fromHere, int percent) {
        List<String> prefix = fromHere ? List.of("ip", "netns", "exec", namespace) : List.of();
        String table = "zqloss" + namespace;
        String device = fromHere ? there : here;
        nft(prefix, "add", "table", "inet", table);
        nft(prefix, "add", "chain", "inet", table, "in", "{ type filter hook input priority 0; }");
        nft(prefix, "add", "rule", "inet", table, "in", "iifname", device, "numgen", "random", "mod", "100", "<", String.valueOf(percent),
                "counter", "drop");
        if (!fromHere) {
            rootTable = table;
        }
    }

    /**
     * Packets the {@link #loss} rules dropped so far, both ends.
     *
     * @return the count
     */
    public long dropped() {
        long total = 0;
        for (List<String> prefix : List.of(List.of("ip", "netns", "exec", namespace), List.<String>of())) {
            List<String> cmd = new ArrayList<>(prefix);
            cmd.addAll(List.of("nft", "list", "table", "inet", "zqloss" + namespace));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("counter packets (\\d+)").matcher(output(cmd));
            while (m.find()) {
                total += Long.parseLong(m.group(1));
            }
        }
        return total;
    }

    private static String output(List<String> command) {
        return exec(command).output();
    }

    private void nft(List<String> prefix, String... args) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add("nft");
        cmd.addAll(List.of(args));
        must(cmd.toArray(String[]::new));
    }

    /**
     * A command run inside the namespace.
     *
     * @param command the command and its arguments
     * @return a process builder for it
     */
    public ProcessBuilder inside(List<String> command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        all.addAll(command);
        return new ProcessBuilder(all);
    }

    private void must(String... command) {
        if (run(List.of(command), true) != 0) {
            throw new AssertionError("failed: " + String.join(" ", command));
        }
    }

    private static int run(List<String> command, boolean report) {
        Result r = exec(command);
        if (r.code() != 0 && report) {
            System.err.println(String.join(" ", command) + ": " + r.output().trim());
        }
        return r.code();
    }

    /** A finished command: its exit code (-1 when it could not run or took over 30 s) and its output. */
    private record Result(int code, String output) {
    }

    private static Result exec(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, out);
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(-1, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "");
        }
    }

    @Override
    public void close() {
        if (rootTable != null) {
            run(List.of("nft", "delete", "table", "inet", rootTable), false);
        }
        run(List.of("ip", "netns", "delete", namespace), false);
        run(List.of("ip", "link", "delete", here), false); // gone with the namespace normally
    }
}
