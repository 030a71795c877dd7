package org.zmq4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Writes files that hold secrets (a certificate's secret key) so that only their owner may read them. */
final class OwnerOnlyFile {
    private OwnerOnlyFile() {
    }

    /**
     * Writes a file only its owner may read: the text goes into a fresh temporary file in the same
     * directory that is restricted before anything is written to it, which then replaces the target.
     */
    static void write(Path file, String text) throws IOException {
        Path dir = file.getParent();
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
        Set<PosixFilePermission> ownerOnly = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        Path temp = posix
                ? Files.createTempFile(dir, "." + file.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(ownerOnly))
                : Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            if (!posix) {
                restrictToOwner(temp);
            }
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Owner-only access on file systems with ACLs (Windows); best effort elsewhere. */
    private static void restrictToOwner(Path file) throws IOException {
        AclFileAttributeView acl = Files.getFileAttributeView(file, AclFileAttributeView.class);
        if (acl != null) {
            try {
                UserPrincipal owner = Files.getOwner(file);
                AclEntry entry = AclEntry.newBuilder().setType(AclEntryType.ALLOW).setPrincipal(owner)
                        .setPermissions(EnumSet.allOf(AclEntryPermission.class)).build();
                acl.setAcl(List.of(entry));
                return;
            } catch (AccessDeniedException | UnsupportedOperationException e) {
                // fall through to the java.io.File flags
            }
        }
        java.io.File f = file.toFile();
        boolean ok = f.setReadable(false, false) & f.setReadable(true, true)
                & f.setWritable(false, false) & f.setWritable(true, true);
        if (!ok) {
            System.getLogger(Certificate.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot restrict " + file + " to its owner on this file system");
        }
    }
}
