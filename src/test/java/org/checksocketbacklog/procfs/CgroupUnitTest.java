package org.checksocketbacklog.procfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** --unit matches a system unit anywhere on the process's cgroup path, never a user's own. */
class CgroupUnitTest {
    @Test
    void aSystemUnitMatchesItsProcessesAndTheirSubCgroups() {
        assertTrue(CgroupOwner.inUnit("0::/system.slice/php8.2-fpm.service\n", "php8.2-fpm.service"));
        assertTrue(CgroupOwner.inUnit("0::/system.slice/nginx.service/worker\n", "nginx.service"));
        assertTrue(CgroupOwner.inUnit("1:name=systemd:/system.slice/nginx.service\n0::/\n", "nginx.service"),
                "hybrid hierarchy");
        assertFalse(CgroupOwner.inUnit("0::/system.slice/nginx.service\n", "php8.2-fpm.service"));
        assertFalse(CgroupOwner.inUnit("0::/system.slice/nginx.service.d\n", "nginx.service"), "whole components");
    }

    /** Below its owner, a cgroup's names are the owner's to choose: a delegated sub-cgroup is not that unit. */
    @Test
    void aSubCgroupNamedLikeAUnitIsItsOwnersNotThatUnits() {
        assertFalse(CgroupOwner.inUnitPath("/system.slice/csb-outer.service/inner2/postgresql.service",
                "postgresql.service"));
        assertTrue(CgroupOwner.inUnitPath("/system.slice/csb-outer.service/inner2/postgresql.service",
                "csb-outer.service"));
        assertFalse(CgroupOwner.inUnitPath("/system.slice/csb-outer.service/inner2", "inner2"), "not an owner's name");
        assertFalse(CgroupOwner.inUnitPath("/system.slice/nginx.service", "system.slice"), "slices name nothing");
        assertTrue(CgroupOwner.inUnitPath("/system.slice/docker-" + "0123456789ab".repeat(5) + "0123.scope",
                "docker-0123456789ab"), "as the output names it");
    }

    @Test
    void aUsersOwnUnitOfTheSameNameDoesNotMatch() {
        assertFalse(CgroupOwner.inUnit("0::/user.slice/user-1000.slice/user@1000.service/app.slice/nginx.service\n",
                "nginx.service"));
    }

    /** A TCP socket's cgroup path (INET_DIAG_CGROUP_ID) is judged by the same rules as a process's. */
    @Test
    void aSocketsCgroupPathIsJudgedAlike() {
        assertTrue(CgroupOwner.inUnitPath("/system.slice/nginx.service/worker", "nginx.service"));
        assertFalse(CgroupOwner.inUnitPath("/user.slice/user-1000.slice/nginx.service", "nginx.service"));
        assertEquals("nginx.service", CgroupOwner.ofPath("/system.slice/nginx.service"));
        assertNull(CgroupOwner.ofPath("/user.slice/user-1000.slice/user@1000.service/app.slice/nginx.service"));
        assertNull(CgroupOwner.ofPath(null), "a cgroup id that was not found names nothing");
    }
}
