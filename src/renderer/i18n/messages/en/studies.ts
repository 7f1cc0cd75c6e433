// The Studies section: the list of studies and the frame around a study's dashboard and analytics.
const studies = {
  list: {
    title: 'Studies',
    subtitle: 'Newest first. Open a study to follow it live or to analyse its trials.',
    name: 'Study',
    state: 'State',
    trials: 'Trials',
    best: 'Best value',
    sampler: 'Sampler',
    pruner: 'Pruner',
    objective: 'Objective',
    created: 'Created',
    loading: 'Loading studies…',
    readError: 'Could not read the studies',
    budgetOf: '{done} / {budget}',
    emptyTitle: 'No studies yet',
    emptyText: 'A study searches many autoencoder configurations for you. Describe one in the {wizard} wizard: it takes a minute, and the sample dataset works out of the box.',
    createFirst: 'Create a study',
  },
  view: {
    back: '← All studies',
    tabsAria: 'Study views',
    dashboard: 'Dashboard',
    analytics: 'Analytics',
    explorer: 'Latent explorer',
    copyLink: 'Copy link',
    copyLinkTitle: 'Copy the address of this view, to paste into a note or open later',
    linkCopied: 'Link copied',
    linkCopyFailed: 'Could not copy to the clipboard',
    notFound: 'No study named "{name}" was found. It may have been deleted; pick another one from the list.',
  },
};

export default studies;
