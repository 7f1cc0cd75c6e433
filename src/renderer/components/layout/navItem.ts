export interface NavItem {
  id: string;
  label: string;
  hint: string;
  badge?: string | null;
  busy?: boolean;
}
