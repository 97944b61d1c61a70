import type { Principal } from "../../server/access/permissions";

/** A business manager for every partnership: the widest access, for tests of figures. */
export const TEST_ADMIN: Principal = { userId: "test-admin", email: "admin@test.example", name: "Test admin", grants: [{ role: "admin", partnerships: "all", agency: null }] };
