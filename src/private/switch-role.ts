/** The console link that switches into a role (the console accepts display names up to 64 characters). */
export function switchRoleUrl(roleName: string, path: string, account: string, displayName: string): string {
  const name = path === '/' ? roleName : `${path.replace(/^\//, '')}${roleName}`;
  const display = displayName.length > 64 ? displayName.slice(0, 64) : displayName;
  return `https://signin.aws.amazon.com/switchrole?roleName=${encodeURIComponent(name)}&account=${account}&displayName=${encodeURIComponent(display)}`;
}
