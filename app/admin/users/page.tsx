import type { Metadata } from "next";
import { capabilitiesFor } from "@/app/lib/capabilities";
import { ROLES } from "@/server/access/permissions";
import { AddUserForm, UserActions } from "./UserForms";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const capabilities = await capabilitiesFor("/admin/users");
  if (!capabilities.mayManageUsers) {
    return (
      <>
        <h1>Users</h1>
        <p className="lede">Only the partnership&apos;s business managers (admins) manage users.</p>
      </>
    );
  }
  const users = await capabilities.caller.users.list();
  return (
    <>
      <h1>Users</h1>
      <p className="lede">
        People who may sign in, and what each may see. You manage the people whose every role lies within your partnerships; people with roles
        elsewhere are looked after by their own partnership&apos;s business manager and are not listed. Every change is recorded in the audit log.
      </p>
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
          {users.length === 0 && (
            <tr>
              <td colSpan={5}>Nobody yet whose roles lie within your partnerships. Add someone above.</td>
            </tr>
          )}
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
