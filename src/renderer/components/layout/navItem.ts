export interface NavItem {
  id: string;
  label: string;
  hint: string;
  badge?: string | null;
  busy?: boolean;
  /** A step number (the single-trial flow) or a short symbol shown in the round marker. */
  marker: string;
}

export interface NavGroup {
  id: string;
  label: string;
  items: NavItem[];
}
