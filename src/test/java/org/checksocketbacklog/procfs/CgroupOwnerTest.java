package org.checksocketbacklog.procfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Owners' names from /proc/PID/cgroup as container engines and systemd write it (cgroup v2 and hybrid). */
class CgroupOwnerTest {
    private static final String ID = "4f1c3e2a9b8d7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e";

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "0::/system.slice/docker-" + ID + ".scope|docker-4f1c3e2a9b8d",
        "0::/machine.slice/libpod-" + ID + ".scope/container|podman-4f1c3e2a9b8d",
        "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1.slice/cri-containerd-" + ID
                + ".scope|containerd-4f1c3e2a9b8d",
        "0::/kubepods.slice/kubepods-pod2.slice/crio-" + ID + ".scope|crio-4f1c3e2a9b8d",
        "0::/lxc.payload.web01/system.slice/nginx.service|lxc-web01",
        "0::/system.slice/csb-outer.service/inner/postgresql.service|csb-outer.service",
        "0::/machine.slice/systemd-nspawn@c1.service/payload/system.slice/nginx.service|systemd-nspawn@c1.service",
        "0::/lxc.payload.web01|lxc-web01",
        "0::/system.slice/php8.2-fpm.service|php8.2-fpm.service",
        "0::/system.slice/system-getty.slice/getty@tty1.service|getty@tty1.service",
        "12:cpu:/\\n1:name=systemd:/system.slice/docker-" + ID + ".scope\\n0::/|docker-4f1c3e2a9b8d",
    })
    void containersAndServicesAreNamedAsTheirToolsShowThem(String cgroup, String owner) {
        assertEquals(owner, CgroupOwner.of(cgroup.replace("\\n", "\n")));
    }

    /** A user's own systemd (user.slice) may name a scope like a container: it names nothing. */
    @ParameterizedTest(name = "\"{0}\" names nothing stable")
    @ValueSource(strings = {"0::/", "0::/user.slice/user-1000.slice/session-3.scope", "0::/init.scope",
        "4:memory:/process_api/22fa95b4\n0::/", "", "garbage", "0::/system.slice/docker-12ab.scope",
        "0::/system.slice/docker-" + "ZZ" + ID + ".scope", "0::/system.slice/a b.service",
        "0::/user.slice/user-1000.slice/user@1000.service/app.slice/docker-" + ID + ".scope",
        "0::/user.slice/user-1000.slice/user@1000.service/app.slice/php8.2-fpm.service"})
    void whatNamesNoOwnerIsNull(String cgroup) {
        assertNull(CgroupOwner.of(cgroup));
    }
}
