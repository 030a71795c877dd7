package org.zmq4j.patterns.bstar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.zmq4j.patterns.bstar.BinaryStarState.ACTIVE;
import static org.zmq4j.patterns.bstar.BinaryStarState.BACKUP;
import static org.zmq4j.patterns.bstar.BinaryStarState.PASSIVE;
import static org.zmq4j.patterns.bstar.BinaryStarState.PRIMARY;

import org.junit.jupiter.api.Test;

/** Binary Star's state machine without sockets, transition by transition, as the zguide gives it. */
class StateMachineTest {
    private static final long HB = 1000;
    private long now = 50_000;

    private StateMachine.Outcome client(StateMachine m) {
        return m.onClientRequest(now);
    }

    @Test
    void primaryAndBackupSettleAsActiveAndPassive() {
        StateMachine primary = new StateMachine(PRIMARY, HB, now);
        StateMachine backup = new StateMachine(BACKUP, HB, now);
        assertEquals(StateMachine.Outcome.OK, primary.onPeer(BACKUP, now));
        assertEquals(ACTIVE, primary.state());
        backup.onPeer(ACTIVE, now);
        assertEquals(PASSIVE, backup.state());
        assertEquals(StateMachine.Outcome.OK, client(primary));
        assertEquals(StateMachine.Outcome.REFUSED, client(backup), "the peer is alive: the passive refuses");
    }

    @Test
    void theClientVoteMakesThePassiveActiveOnlyAfterTwoSilentHeartbeats() {
        StateMachine backup = new StateMachine(BACKUP, HB, now);
        backup.onPeer(ACTIVE, now);
        now += 2 * HB - 1;
        assertEquals(StateMachine.Outcome.REFUSED, client(backup));
        assertEquals(PASSIVE, backup.state());
        now += 1;
        assertEquals(StateMachine.Outcome.OK, client(backup));
        assertEquals(ACTIVE, backup.state());
    }

    @Test
    void aRestartedPrimaryFindsTheBackupActiveAndStaysPassive() {
        StateMachine backup = new StateMachine(BACKUP, HB, now);
        backup.onPeer(ACTIVE, now);
        now += 3 * HB;
        client(backup); // failover
        StateMachine restarted = new StateMachine(PRIMARY, HB, now);
        assertEquals(StateMachine.Outcome.OK, backup.onPeer(PRIMARY, now));
        assertEquals(ACTIVE, backup.state(), "an active node stays active when the primary comes back");
        restarted.onPeer(ACTIVE, now);
        assertEquals(PASSIVE, restarted.state());
        assertEquals(StateMachine.Outcome.REFUSED, client(restarted));
    }

    @Test
    void aPrimaryAloneServesAfterTwoHeartbeatsAndAnUndecidedBackupNever() {
        StateMachine primary = new StateMachine(PRIMARY, HB, now);
        StateMachine backup = new StateMachine(BACKUP, HB, now);
        assertEquals(StateMachine.Outcome.REFUSED, client(primary), "the backup may still be active: wait to hear it");
        now += 2 * HB;
        assertEquals(StateMachine.Outcome.OK, client(primary));
        assertEquals(ACTIVE, primary.state());
        assertEquals(StateMachine.Outcome.REFUSED, client(backup));
        assertEquals(BACKUP, backup.state());
    }

    @Test
    void aPassiveNodeTakesOverWhenItsPeerRestarts() {
        StateMachine passive = new StateMachine(BACKUP, HB, now);
        passive.onPeer(ACTIVE, now);
        passive.onPeer(PRIMARY, now); // the active primary restarted: it is undecided now
        assertEquals(ACTIVE, passive.state());
    }

    @Test
    void twoActivesOrTwoPassivesAreFatal() {
        StateMachine a = new StateMachine(PRIMARY, HB, now);
        a.onPeer(BACKUP, now);
        assertEquals(StateMachine.Outcome.DUAL_ACTIVE, a.onPeer(ACTIVE, now));
        StateMachine p = new StateMachine(BACKUP, HB, now);
        p.onPeer(ACTIVE, now);
        assertEquals(StateMachine.Outcome.DUAL_PASSIVE, p.onPeer(PASSIVE, now));
    }

    @Test
    void onlyPrimaryOrBackupStart() {
        assertThrows(IllegalArgumentException.class, () -> new StateMachine(ACTIVE, HB, now));
    }
}
