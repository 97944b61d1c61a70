import type { Metadata } from "next";
import { connection } from "next/server";
import { getAuth, requirePrincipal } from "@/app/lib/session";
import { getDb } from "@/db/client";
import { isAllowed, ROLES } from "@/server/access/permissions";
import { serverCaller } from "@/wiring/trpc/caller";
import { AddUserForm, UserActions } from "./UserForms";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  await connection();
  const principal = await requirePrincipal("/admin/users");
  if (!(await isAllowed(await getDb(), principal, "users.manage"))) {
    return (
      <>
        <h1>Users</h1>
        <p className="lede">Only the partnership&apos;s business managers (admins) manage users.</p>
      </>
    );
  }
  const users = await (await serverCaller(principal, await getAuth())).users.list();
  return (
    <>
      <h1>Users</h1>
      <p className="lede">People who may sign in, and what each may see. Every change is recorded in the audit log.</p>
      <AddUserForm roles={[...ROLES]} />
      <table className="history">
        <caption>Users and their roles</caption>
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Name</th>
            <th scope="col">Roles and scope</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.email} data-user={u.email}>
              <td>{u.email}</td>
              <td>{u.name}</td>
              <td>{u.roles.map((r) => `${r.role} (${r.scope})`).join("; ")}</td>
              <td>{u.disabled ? <strong className="tag tag--grey">Disabled</strong> : <strong className="tag tag--green">Active</strong>}</td>
              <td>
                <UserActions email={u.email} disabled={u.disabled} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
