package org.checksocketbacklog.procfs;

import static org.junit.jupiter.api.Assertions.assertFalse;
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

    @Test
    void aUsersOwnUnitOfTheSameNameDoesNotMatch() {
        assertFalse(CgroupOwner.inUnit("0::/user.slice/user-1000.slice/user@1000.service/app.slice/nginx.service\n",
                "nginx.service"));
    }
}
