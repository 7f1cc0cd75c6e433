// Connecting the app to a shared study database (PostgreSQL), where workers on other machines run studies.
const connect = {
  open: 'Connect to a shared study database…',
  openHint: 'Watch and export studies that workers on other machines run through a PostgreSQL database',
  title: 'Shared study database',
  intro: 'Studies kept in a PostgreSQL database are run by `latent-lab worker` on any number of machines. Connect to watch them live and export their trials here.',
  current: 'In use',
  local: 'This computer’s database: {location}',
  shared: 'Shared database on {host}: {location}',
  sharedBadge: 'Shared · {host}',
  live: 'Live updates on',
  noLive: 'No live updates: views refresh when opened',
  url: 'Database address',
  urlHint: "postgresql://user{'@'}host:5432/database (a password typed here is taken out and never shown)",
  password: 'Password',
  passwordHint: 'Leave empty to use the saved one, or PGPASSWORD / ~/.pgpass of the machine running the engine.',
  remember: 'Remember the password',
  keptKeychain: 'Kept encrypted on this computer, with a key the system keychain holds.',
  keptMemory: 'Browser mode: kept in the engine’s memory only, until it quits; never written to disk.',
  saved: 'Saved: {urls}',
  connect: 'Connect',
  connecting: 'Connecting…',
  disconnect: 'Back to this computer’s database',
  close: 'Close',
  failed: 'Could not connect',
};

export default connect;
